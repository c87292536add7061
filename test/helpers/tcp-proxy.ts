// A TCP proxy between an agent and its gateway that a test can cut: sever() drops every open
// connection at once (both ends see the socket close); blackhole() keeps them open but silently
// swallows all traffic, new connections included, like a network partition.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports';

export interface TcpProxy {
  url: string;
  sever(): void;
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let silent = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(targetPort) });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (d) => silent || upstream.write(d));
    upstream.on('data', (d) => silent || client.write(d));
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on('error', drop);
      s.on('close', drop);
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const sever = (): void => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    sever,
    blackhole(on) {
      silent = on;
    },
    async close() {
      sever();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
