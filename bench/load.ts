// npm run bench:load -- [--seconds 60] [--devices 100] ...
// A sustained mix on one machine for a fixed time: many small batches, a few large ones, API reads at a
// steady rate, simulated agents (real protocol v1, journaling what they run) dropping and regaining their
// sessions. Then it waits for every batch to finish and prints ONE JSON line on stdout (the only line
// starting with `{`; Temporal Core may print its own warnings there): batches and
// devices completed, API p50/p99, errors, batches throttled by the running-batches limit (429), lostResults
// and duplicateExecutions (both must be 0).
// Exits 1 when anything was lost, run twice, failed or left unfinished. Progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import type { Page } from '../src/db/queries/pagination';
import { createLogger } from '../src/logger';
import { startFleet } from './fleet-process';
import { startInProcessTarget } from './in-process';
import { checkLoad } from './load-check';
import { runMix } from './load-mix';
import { percentile, round, sampleRss, waitUntil } from './measure';
import { runBenchCommand } from './run-command';

interface Flags {
  seconds: string;
  devices: string;
  smallSize: string;
  smallPerSec: string;
  largeSize: string;
  largeEvery: string;
  readsPerSec: string;
  churnPerSec: string;
  workMs: string;
  drainTimeout: string;
  temporalMemory?: boolean;
  logLevel: string;
}

const log = (s: string): void => {
  process.stderr.write(`[bench:load] ${s}\n`);
};

function positive(flag: string, raw: string, min = 1): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${flag} must be a number >= ${min}`);
  return n;
}

async function main(flags: Flags): Promise<number> {
  const seconds = positive('--seconds', flags.seconds);
  const devices = positive('--devices', flags.devices);
  const largeSize = Math.min(devices, positive('--large-size', flags.largeSize));
  const rss = sampleRss(200);
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-load-'));
  const journalFile = path.join(dir, 'fleet-journal.txt');
  const target = await startInProcessTarget({ devices, temporalInMemory: flags.temporalMemory === true, logger: createLogger('bench', flags.logLevel, pino.destination(2)), log });
  try {
    const registered = await target.register(devices, 'load');
    const fleet = await startFleet(
      { gatewayUrl: target.gatewayUrl, devices: registered, journalFile, workMs: positive('--work-ms', flags.workMs, 0), churnPerSec: positive('--churn-per-sec', flags.churnPerSec, 0) },
      120_000,
    );
    let mix;
    let unfinished: Set<string>;
    const started = performance.now();
    try {
      await waitUntil('the fleet online', async () => (await target.countOnline('load')) >= devices, 120_000);
      log(`${devices} agents online; running the mix for ${seconds} s`);
      mix = await runMix(target.api, {
        seconds,
        deviceIds: registered.map((d) => d.id),
        smallSize: positive('--small-size', flags.smallSize),
        smallPerSec: positive('--small-per-sec', flags.smallPerSec, 0.01),
        largeSize,
        largeEverySec: positive('--large-every', flags.largeEvery),
        readsPerSec: positive('--reads-per-sec', flags.readsPerSec, 0.01),
        log,
      });
      log(`mix done: ${mix.batchIds.length} batches started; waiting for them to finish`);
      const running = async (): Promise<number> => (await target.api.get<Page<unknown>>('/v1/batches', { status: 'running', limit: 200 })).items.length;
      await waitUntil('every batch to finish', async () => (await running()) === 0, positive('--drain-timeout', flags.drainTimeout) * 1000, 500).catch((err: unknown) => log(String(err)));
      const stillRunning = await target.api.all<{ id: string }>('/v1/batches', { status: 'running' });
      unfinished = new Set(stillRunning.map((b) => b.id));
      // Let the last acknowledgements reach the fleet's journal.
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await fleet.stop();
    }
    const rows = (await target.executions?.(mix.batchIds)) ?? [];
    const check = checkLoad(journalFile, rows, unfinished);
    const result = {
      seconds,
      devices,
      batchesStarted: mix.batchIds.length,
      batchesCompleted: mix.batchIds.length - unfinished.size,
      smallBatches: mix.smallBatches,
      largeBatches: mix.largeBatches,
      devicesCompleted: check.devicesCompleted,
      notSucceeded: check.notSucceeded,
      apiCalls: mix.apiLatenciesMs.length,
      apiP50Ms: round(percentile(mix.apiLatenciesMs, 50) ?? 0, 1),
      apiP99Ms: round(percentile(mix.apiLatenciesMs, 99) ?? 0, 1),
      errors: mix.errors,
      throttled: mix.throttled,
      lostResults: check.lostResults,
      duplicateExecutions: check.duplicateExecutions,
      wallSeconds: round((performance.now() - started) / 1000, 1),
      peakRssMb: round(rss.peakMb(), 1),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const bad = result.lostResults + result.duplicateExecutions + result.notSucceeded + unfinished.size + result.errors;
    return bad > 0 ? 1 : 0;
  } finally {
    rss.stop();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchCommand<Flags>(
  new Command('bench:load')
    .description('a sustained mix of batches, API reads and agent churn for a fixed time; one JSON line of what held')
    .option('--seconds <n>', 'how long the mix runs', '60')
    .option('--devices <n>', 'simulated agents', '100')
    .option('--small-size <n>', 'devices per small batch', '3')
    .option('--small-per-sec <n>', 'small batches started per second', '1')
    .option('--large-size <n>', 'devices per large batch', '100')
    .option('--large-every <sec>', 'a large batch every this many seconds (one at the start)', '30')
    .option('--reads-per-sec <n>', 'API reads per second', '5')
    .option('--churn-per-sec <n>', 'agent sessions dropped (and re-established) per second', '1')
    .option('--work-ms <n>', 'how long each simulated command runs', '50')
    .option('--drain-timeout <sec>', 'how long to wait for the batches after the mix', '300')
    .option('--temporal-memory', 'run the Temporal dev server in memory instead of on a SQLite file')
    .option('--log-level <level>', 'log level of the in-process stack (stderr)', 'warn'),
  main,
  log,
);
