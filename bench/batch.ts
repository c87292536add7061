// npm run bench -- --devices N --concurrency C [--runs R] [--enroll] [--api URL --token T --gateway WS --temporal ADDR]
// Three measurements of the same fan-out, each the median of R runs (Flotilla and the Temporal reference
// alternate, so a noisy machine weighs on both alike):
//   floor          plain WebSocket, no Temporal, no database (floor.ts)
//   temporal floor the batch's shape with the bare Temporal SDK on the same dev server (temporal-reference.ts),
//                  in the shape Flotilla runs: starts paced, a local activity in process (bench:shapes compares shapes)
//   Flotilla       the whole path: API, workflows, gateway, PostgreSQL, the simulated fleet (full-path.ts)
// Prints ONE JSON line on stdout: {devices, concurrency, runs, wallSeconds, devicesPerSecond, p50Ms, p99Ms,
// peakRssMb, floorSeconds, ratio, temporalFloorSeconds, temporalRatio, samples, cpuSeconds, ...}.
// --enroll: the fleet registers through POST /v1/enroll (enroll.ts); adds enrollSeconds, enrolledPerSecond.
// Progress (which phase is running) goes to stderr. Exits 1 when any device did not succeed.
// Under heavy load Temporal Core may print warnings on stdout too: scripts keep the line starting {"devices".
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import pino from 'pino';
import { guessGatewayUrl } from '../src/cli/commands/devices';
import { loadCliConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { measureFloor } from './floor';
import { runFullPath } from './full-path';
import { startInProcessTarget } from './in-process';
import { median, round, sampleRss } from './measure';
import { startCpuCount, type CpuSeconds } from './proc-cpu';
import { openTemporalReference, type ReferenceShape, type TemporalReference } from './temporal-reference';
import { remoteTarget } from './remote';
import type { BenchTarget } from './target';
import type { FullPathResult } from './full-path';
import { devServerTuning } from './dev-server-tuning';
import { MAX_STARTING } from '../src/workflows/batch-run';
import { runBenchCommand } from './run-command';
import { enrollInstead, ENROLL_WINDOW, type EnrollTiming } from './enroll';

interface Flags {
  devices: string;
  concurrency: string;
  api?: string;
  token?: string;
  gateway?: string;
  temporal?: string;
  runs?: string;
  devServer: string;
  devServerSet: string[];
  phases: string;
  timeout: string;
  logLevel: string;
  temporalMemory?: boolean;
  enroll?: boolean;
}

const log = (s: string): void => {
  process.stderr.write(`[bench] ${s}\n`);
};

function positive(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive whole number`);
  return n;
}

/** Runs at or below this many devices are short enough to repeat by default. */
const REPEAT_UP_TO_DEVICES = 2000;
const DEFAULT_SHORT_RUNS = 3;

const PHASES = ['floor', 'reference', 'flotilla'];

/**
 * The reference runs the shape Flotilla runs: child starts paced as MAX_STARTING says, and in process (the
 * all-in-one, where the worker delivers through its own gateway) the child's one activity a local activity.
 */
const flotillaShape = (inProcess: boolean): ReferenceShape => ({ startAhead: MAX_STARTING, ...(inProcess ? { delivery: 'local' as const } : {}) });

const medianCpu = (all: CpuSeconds[]): CpuSeconds => ({
  node: median(all.map((c) => c.node)),
  fleet: median(all.map((c) => c.fleet)),
  temporal: median(all.map((c) => c.temporal)),
});

async function main(flags: Flags): Promise<number> {
  const devices = positive('--devices', flags.devices);
  const concurrency = positive('--concurrency', flags.concurrency);
  const runs = flags.runs ? positive('--runs', flags.runs) : devices <= REPEAT_UP_TO_DEVICES ? DEFAULT_SHORT_RUNS : 1;
  const timeoutMs = positive('--timeout', flags.timeout) * 1000;
  const tuning = devServerTuning(flags.devServer, flags.devServerSet);
  const phases = new Set(flags.phases.split(','));
  for (const p of phases) if (!PHASES.includes(p)) throw new Error(`--phases: unknown phase ${p} (known: ${PHASES.join(', ')})`);
  const rss = sampleRss(1000);

  const floors: number[] = [];
  for (let i = 1; i <= runs && phases.has('floor'); i++) {
    log(`[run ${i}/${runs}] floor: ${devices} devices, window ${concurrency}, plain WebSocket`);
    floors.push((await measureFloor({ devices, concurrency, connectTimeoutMs: timeoutMs })).seconds);
    log(`[run ${i}/${runs}] floor: ${floors.at(-1)!.toFixed(3)} s`);
  }

  const target: BenchTarget = flags.api
    ? remoteTarget({
        apiUrl: flags.api,
        token: flags.token ?? loadCliConfig().token,
        gatewayUrl: flags.gateway ?? guessGatewayUrl(flags.api),
        ...(flags.temporal ? { temporal: { address: flags.temporal, namespace: 'default' } } : {}),
      })
    : await startInProcessTarget({
        devices,
        temporalInMemory: flags.temporalMemory === true,
        enrollRateLimitOff: flags.enroll === true,
        ...(tuning ? { devServerTuning: tuning } : {}),
        logger: createLogger('bench', flags.logLevel, pino.destination(2)),
        log,
      });
  const enrollTimings: EnrollTiming[] = [];
  if (flags.enroll) enrollInstead(target, { removeAtStop: flags.api !== undefined, timings: enrollTimings, log });
  let reference: TemporalReference | undefined;
  // One clean-up, awaited by whoever asks (SIGINT and the run's own finally), so the process never
  // exits while the dev server it started is still being stopped.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      log('cleaning up');
      await reference?.close().catch(() => undefined);
      await target.stop();
    })());
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    if (!phases.has('reference')) log('the Temporal reference is skipped (--phases)');
    else if (target.temporal) reference = await openTemporalReference(target.temporal);
    else log('no Temporal address (--temporal): the Temporal reference is skipped');
    const fulls: FullPathResult[] = [];
    const refs: number[] = [];
    const cpu = { flotilla: [] as CpuSeconds[], reference: [] as CpuSeconds[] };
    const runReference = async (i: number): Promise<void> => {
      if (!reference) return;
      log(`[run ${i}/${runs}] temporal reference: ${devices} child workflows, window ${concurrency}, bare SDK`);
      const count = startCpuCount(target.temporal?.pid);
      refs.push(await reference.measure(devices, concurrency, flotillaShape(!flags.api)));
      cpu.reference.push(count());
      log(`[run ${i}/${runs}] temporal reference: ${refs.at(-1)!.toFixed(3)} s`);
    };
    const runFlotilla = async (i: number): Promise<void> => {
      if (!phases.has('flotilla')) return;
      log(`[run ${i}/${runs}] flotilla: the whole path`);
      const count = startCpuCount(target.temporal?.pid);
      const run = randomBytes(4).toString('hex');
      fulls.push(await runFullPath(target, { devices, concurrency, tag: `bench-${run}`, timeoutMs, log }));
      cpu.flotilla.push(count());
    };
    for (let i = 1; i <= runs; i++) {
      // Alternate which goes first, so neither always runs on the warmer (or more loaded) machine.
      if (i % 2 === 1) {
        await runReference(i);
        await runFlotilla(i);
      } else {
        await runFlotilla(i);
        await runReference(i);
      }
    }
    const walls = fulls.map((f) => f.wallSeconds);
    const wall = walls.length > 0 ? median(walls) : NaN;
    const typical = fulls.reduce<FullPathResult | undefined>((a, b) => (!a || Math.abs(b.wallSeconds - wall) < Math.abs(a.wallSeconds - wall) ? b : a), undefined);
    const floorSeconds = floors.length > 0 ? median(floors) : NaN;
    const temporalFloorSeconds = refs.length > 0 ? median(refs) : null;
    const notSucceeded = fulls.reduce((n, f) => n + f.notSucceeded, 0);
    const enrollSeconds = enrollTimings.length > 0 ? median(enrollTimings.map((t) => t.seconds)) : NaN;
    const enrollment = flags.enroll
      ? {
          enrollSeconds: round(enrollSeconds),
          enrolledPerSecond: round(devices / enrollSeconds, 1),
          enrollWindow: ENROLL_WINDOW,
          // The in-process stack runs with FLOTILLA_ENROLL_RATE_PER_MIN=0; a running one keeps its own limit.
          enrollRateLimit: flags.api ? 'target' : 'off',
        }
      : {};
    const result = {
      devices,
      concurrency,
      runs,
      wallSeconds: round(wall),
      devicesPerSecond: round(devices / wall, 1),
      p50Ms: typical?.p50Ms ?? null,
      p99Ms: typical?.p99Ms ?? null,
      peakRssMb: round(rss.peakMb(), 1),
      floorSeconds: round(floorSeconds),
      ratio: round(wall / floorSeconds, 1),
      temporalFloorSeconds: temporalFloorSeconds === null ? null : round(temporalFloorSeconds),
      temporalRatio: temporalFloorSeconds === null ? null : round(wall / temporalFloorSeconds, 2),
      samples: { wallSeconds: walls.map((w) => round(w)), temporalFloorSeconds: refs.map((r) => round(r)), floorSeconds: floors.map((f) => round(f)) },
      cpuSeconds: { flotilla: cpu.flotilla.length > 0 ? medianCpu(cpu.flotilla) : null, reference: cpu.reference.length > 0 ? medianCpu(cpu.reference) : null },
      latencyBasis: target.latencyBasis,
      temporal: flags.api ? 'external' : `${flags.temporalMemory ? 'dev-server-memory' : 'dev-server-sqlite'}${tuning === 'none' ? '-untuned' : typeof tuning === 'object' ? `-custom` : ''}`,
      ...(typeof tuning === 'object' ? { devServerTuning: tuning } : {}),
      ...enrollment,
      batchId: typical?.batchId ?? null,
      status: typical?.status ?? null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (notSucceeded > 0) log(`${notSucceeded} device(s) did not succeed over ${runs} run(s)`);
    return notSucceeded > 0 ? 1 : 0;
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
    .option('--temporal <host:port>', 'with --api: the Temporal frontend to run the Temporal reference on (namespace default)')
    .option('--runs <n>', `runs per measurement, each figure their median (default ${DEFAULT_SHORT_RUNS} up to ${REPEAT_UP_TO_DEVICES} devices, else 1)`)
    .option('--dev-server <settings>', "in-process only: 'default' (the all-in-one's dev-server settings) or 'none' (Temporal's own)", 'default')
    .option('--dev-server-set <key=value>', 'in-process only: a dynamic config value (KEY=JSON) or pragma:NAME=VALUE over --dev-server (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--temporal-memory', 'in-process only: run the Temporal dev server in memory instead of on a SQLite file')
    .option('--phases <list>', `which measurements to run, comma-separated (${PHASES.join(',')})`, PHASES.join(','))
    .option('--timeout <sec>', 'give up on any phase after this long', '600')
    .option('--enroll', 'register the fleet through POST /v1/enroll with an enrollment key (in-process: its per-address rate limit off) and time it')
    .option('--log-level <level>', 'log level of the in-process stack (stderr)', 'warn'),
  main,
  log,
);
