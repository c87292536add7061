// npm run bench -- --devices N --concurrency C [--api URL --token T --gateway WS]
// Prints ONE JSON line on stdout: {devices, concurrency, wallSeconds, devicesPerSecond, p50Ms, p99Ms,
// peakRssMb, floorSeconds, ratio}. Progress goes to stderr. Exits 1 when any device did not succeed.
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import pino from 'pino';
import { guessGatewayUrl } from '../src/cli/commands/devices';
import { loadCliConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { measureFloor } from './floor';
import { runFullPath } from './full-path';
import { startInProcessTarget } from './in-process';
import { round, sampleRss } from './measure';
import { remoteTarget } from './remote';
import type { BenchTarget } from './target';
import { runBenchCommand } from './run-command';

interface Flags {
  devices: string;
  concurrency: string;
  api?: string;
  token?: string;
  gateway?: string;
  timeout: string;
  logLevel: string;
  temporalMemory?: boolean;
}

const log = (s: string): void => {
  process.stderr.write(`[bench] ${s}\n`);
};

function positive(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number`);
  return n;
}

async function main(flags: Flags): Promise<number> {
  const devices = positive('--devices', flags.devices);
  const concurrency = positive('--concurrency', flags.concurrency);
  const timeoutMs = positive('--timeout', flags.timeout) * 1000;
  const rss = sampleRss(200);

  log(`floor: ${devices} devices, window ${concurrency}, plain WebSocket`);
  const floor = await measureFloor({ devices, concurrency, connectTimeoutMs: timeoutMs });
  log(`floor: ${floor.seconds.toFixed(3)} s`);

  const target: BenchTarget = flags.api
    ? remoteTarget({ apiUrl: flags.api, token: flags.token ?? loadCliConfig().token, gatewayUrl: flags.gateway ?? guessGatewayUrl(flags.api) })
    : await startInProcessTarget({ devices, temporalInMemory: flags.temporalMemory === true, logger: createLogger('bench', flags.logLevel, pino.destination(2)), log });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    log('cleaning up');
    await target.stop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    const run = randomBytes(4).toString('hex');
    const full = await runFullPath(target, { devices, concurrency, tag: `bench-${run}`, timeoutMs, log });
    const result = {
      devices,
      concurrency,
      wallSeconds: round(full.wallSeconds),
      devicesPerSecond: round(devices / full.wallSeconds, 1),
      p50Ms: full.p50Ms,
      p99Ms: full.p99Ms,
      peakRssMb: round(rss.peakMb(), 1),
      floorSeconds: round(floor.seconds),
      ratio: round(full.wallSeconds / floor.seconds, 1),
      latencyBasis: target.latencyBasis,
      temporal: flags.api ? 'external' : flags.temporalMemory ? 'dev-server-memory' : 'dev-server-sqlite',
      batchId: full.batchId,
      status: full.status,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (full.notSucceeded > 0) log(`${full.notSucceeded} device(s) did not succeed (batch ${full.status})`);
    return full.notSucceeded > 0 ? 1 : 0;
  } finally {
    rss.stop();
    await stop();
  }
}

runBenchCommand<Flags>(
  new Command('bench')
    .description('time one batch over a simulated fleet through the whole path, beside the plain-WebSocket floor')
    .requiredOption('--devices <n>', 'fleet size')
    .requiredOption('--concurrency <n>', 'sliding window (strategy.concurrency)')
    .option('--api <url>', 'use a running Flotilla API instead of starting one in this process')
    .option('--token <token>', 'admin token for --api (default: as the CLI finds it)')
    .option('--gateway <ws-url>', 'gateway the fleet connects to with --api (default ws://<api host>:8081)')
    .option('--temporal-memory', 'in-process only: run the Temporal dev server in memory instead of on a SQLite file')
    .option('--timeout <sec>', 'give up on any phase after this long', '600')
    .option('--log-level <level>', 'log level of the in-process stack (stderr)', 'warn'),
  main,
  log,
);
