// npm run bench:shapes -- --devices 1000 --windows 200,1000 [--runs 3] [--shapes today,local,shards,local+shards]
// Temporal's own cost of a batch's shape, and what each design lever saves, with the bare SDK on one dev server
// (the all-in-one's settings, a SQLite file): today's shape (parent, sliding window of child workflows, one
// activity each, continue-as-new every 500), the child's activity as a local activity, shard workflows under
// the parent (--shard-size children each, --parallel-shards at once sharing the window), and both.
// Shapes alternate within each run so a noisy machine weighs on all alike. Prints one JSON line per
// (window, shape): median wall seconds, devices per second, the dev server's and this process's CPU
// seconds, and `speedup` against today's shape at the same window. Progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { startDevServer } from '../src/temporal/dev-server';
import { devServerTuning } from './dev-server-tuning';
import { freePort, median, round } from './measure';
import { startCpuCount, type CpuSeconds } from './proc-cpu';
import { runBenchCommand } from './run-command';
import { openTemporalReference, type ReferenceShape } from './temporal-reference';

interface Flags {
  devices: string;
  windows: string;
  runs: string;
  shapes: string;
  shardSize: string;
  parallelShards: string;
  startAhead: string;
  devServer: string;
  devServerSet: string[];
}

const log = (s: string): void => {
  process.stderr.write(`[shapes] ${s}\n`);
};

function shapeOf(name: string, shardSize: number, parallelShards: number, startAhead: number): ReferenceShape {
  const shards = { shardSize, parallelShards };
  switch (name) {
    case 'today':
      return {};
    case 'local':
      return { delivery: 'local' };
    case 'shards':
      return shards;
    case 'local+shards':
      return { delivery: 'local', ...shards };
    case 'paced':
      return { startAhead };
    case 'local+paced':
      return { delivery: 'local', startAhead };
    default:
      throw new Error(`--shapes: unknown shape ${name} (known: today, local, shards, local+shards)`);
  }
}

function positiveList(flag: string, raw: string): number[] {
  const list = raw.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${flag} must be positive whole numbers, comma-separated`);
  return list;
}

async function main(flags: Flags): Promise<number> {
  const [devices] = positiveList('--devices', flags.devices);
  const windows = positiveList('--windows', flags.windows);
  const [runs] = positiveList('--runs', flags.runs);
  const [shardSize] = positiveList('--shard-size', flags.shardSize);
  const [parallelShards] = positiveList('--parallel-shards', flags.parallelShards);
  const names = flags.shapes.split(',');
  const [startAhead] = positiveList('--start-ahead', flags.startAhead);
  const shapes = names.map((n) => shapeOf(n, shardSize!, parallelShards!, startAhead!));
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-shapes-'));
  const tuning = devServerTuning(flags.devServer, flags.devServerSet);
  const server = await startDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    headless: true,
    dbFile: path.join(dir, 'temporal.sqlite'),
    ...(tuning ? { tuning } : {}),
  });
  const reference = await openTemporalReference({ address: server.address, namespace: 'default' });
  try {
    for (const window of windows) {
      const walls = names.map(() => [] as number[]);
      const cpus = names.map(() => [] as CpuSeconds[]);
      for (let r = 1; r <= runs!; r++) {
        // Rotate the order each run, so no shape always runs first (or last) on the machine.
        for (let k = 0; k < names.length; k++) {
          const i = (k + r - 1) % names.length;
          log(`[run ${r}/${runs}] window ${window}, ${names[i]}: ${devices} child workflows`);
          const count = startCpuCount(server.process.pid);
          walls[i]!.push(await reference.measure(devices!, window, shapes[i]));
          cpus[i]!.push(count());
          log(`[run ${r}/${runs}] window ${window}, ${names[i]}: ${walls[i]!.at(-1)!.toFixed(2)} s`);
        }
      }
      const todayWall = names.includes('today') ? median(walls[names.indexOf('today')]!) : null;
      names.forEach((name, i) => {
        const wall = median(walls[i]!);
        const line = {
          shape: name,
          devices,
          window,
          runs,
          ...(name.includes('shards') ? { shardSize, parallelShards } : {}),
          wallSeconds: round(wall),
          devicesPerSecond: round(devices! / wall, 1),
          speedup: todayWall === null ? null : round(todayWall / wall, 2),
          cpuSeconds: { node: median(cpus[i]!.map((c) => c.node)), temporal: median(cpus[i]!.map((c) => c.temporal)) },
          samples: walls[i]!.map((w) => round(w)),
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      });
    }
    return 0;
  } finally {
    await reference.close().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchCommand<Flags>(
  new Command('bench:shapes')
    .description("Temporal's own cost of a batch's shape, with and without the design levers, bare SDK on one dev server")
    .option('--devices <n>', 'child workflows per batch', '1000')
    .option('--windows <list>', 'sliding windows, comma-separated', '200,1000')
    .option('--runs <n>', 'runs per shape, each figure their median', '3')
    .option('--shapes <list>', 'today, local, shards, local+shards (comma-separated)', 'today,local,shards,local+shards')
    .option('--shard-size <n>', 'children per shard workflow', '500')
    .option('--parallel-shards <n>', 'shard workflows at once (the window is split between them)', '4')
    .option('--start-ahead <n>', "paced shapes: children asked for but not started yet, at most", '50')
    .option('--dev-server <settings>', "'default' (the all-in-one's dev-server settings) or 'none' (Temporal's own)", 'default')
    .option('--dev-server-set <key=value>', 'a dynamic config value (KEY=JSON) or pragma:NAME=VALUE over --dev-server (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[]),
  main,
  log,
);
