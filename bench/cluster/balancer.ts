// A round-robin TCP balancer in front of several gateways, as a load balancer stands in front of them
// in production: each new agent connection goes to the next gateway in turn (WebSocket sessions are
// long-lived, so connection-level balancing spreads the fleet evenly).
//   tsx bench/cluster/balancer.ts LISTEN_PORT HOST:PORT HOST:PORT ...
import { createConnection, createServer, type Socket } from 'node:net';

const [listenRaw, ...upstreamsRaw] = process.argv.slice(2);
const listen = Number(listenRaw);
if (!Number.isInteger(listen) || upstreamsRaw.length === 0) {
  process.stderr.write('usage: balancer.ts LISTEN_PORT HOST:PORT [HOST:PORT ...]\n');
  process.exit(2);
}
const upstreams = upstreamsRaw.map((u) => {
  const i = u.lastIndexOf(':');
  return { host: u.slice(0, i), port: Number(u.slice(i + 1)) };
});
let next = 0;

const server = createServer((client: Socket) => {
  const target = upstreams[next++ % upstreams.length]!;
  const upstream = createConnection(target);
  const drop = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', drop).on('close', drop);
  upstream.on('error', drop).on('close', drop);
});

server.listen(listen, '127.0.0.1', () => {
  process.stderr.write(`balancer: 127.0.0.1:${listen} -> ${upstreamsRaw.join(', ')}\n`);
});
// Open sessions end with the process: agents reconnect through whatever replaces it.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
