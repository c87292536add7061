// One batch over a simulated fleet through a running Flotilla, with a crash in the middle: once `--after`
// results are stored it runs `--crash` (a shell command that kills something and starts it again), keeps
// polling through the outage (the API answers errors while its database is down), and when the batch has
// ended prints one JSON line and exits 1 unless the batch succeeded, every device has one final status,
// and the fleet's journal shows each device ran exactly one execution (none twice).
//   tsx bench/cluster/crash-check.ts --api URL --gateway WS --devices N --window W --after K --crash CMD
// The token comes from FLOTILLA_TOKEN.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { BatchCreatedJson, BatchDetailJson, ExecutionJson } from '../../src/api/schemas/batch';
import { createApiClient } from '../../src/cli/http';
import { loadCliConfig } from '../../src/config';
import { isFinalExecutionStatus } from '../../src/domain/status';
import { BENCH_ACTION } from '../floor';
import { startFleet } from '../fleet-process';
import { remoteTarget } from '../remote';
import { runBenchCommand } from '../run-command';

interface Flags {
  api: string;
  gateway: string;
  devices: string;
  window: string;
  after: string;
  crash: string;
  timeout: string;
}

const log = (s: string): void => {
  process.stderr.write(`[crash-check] ${s}\n`);
};

/** The batch as the API sees it, or undefined while the API cannot answer. */
async function detailOf(api: ReturnType<typeof createApiClient>, batchId: string): Promise<BatchDetailJson | undefined> {
  try {
    return await api.get<BatchDetailJson>(`/v1/batches/${batchId}`);
  } catch {
    return undefined;
  }
}

async function main(flags: Flags): Promise<number> {
  const devices = Number(flags.devices);
  const after = Number(flags.after);
  const deadline = Date.now() + Number(flags.timeout) * 1000;
  const token = loadCliConfig().token;
  const api = createApiClient({ apiUrl: flags.api, token });
  const target = remoteTarget({ apiUrl: flags.api, token, gatewayUrl: flags.gateway });
  const tag = `crash-${randomBytes(4).toString('hex')}`;
  const journalFile = path.join(mkdtempSync(path.join(tmpdir(), 'flotilla-crash-')), 'journal');
  const registered = await target.register(devices, tag);
  const fleet = await startFleet({ gatewayUrl: flags.gateway, devices: registered, journalFile }, 600_000);
  try {
    while ((await target.countOnline(tag)) < devices) await new Promise((r) => setTimeout(r, 500));
    const created = await api.post<BatchCreatedJson>('/v1/batches', {
      targets: { tags: [tag] },
      action: BENCH_ACTION,
      strategy: { mode: 'parallel', concurrency: Number(flags.window) },
      deliveryTimeoutSec: 300,
    });
    log(`batch ${created.batchId} started`);
    let crashed = false;
    let ended: BatchDetailJson | undefined;
    while (!ended) {
      if (Date.now() > deadline) throw new Error(`batch ${created.batchId} did not end within --timeout`);
      const detail = await detailOf(api, created.batchId);
      if (detail && detail.batch.status !== 'running') {
        ended = detail;
        break;
      }
      if (!crashed && (detail?.batch.stats.succeeded ?? 0) >= after) {
        crashed = true;
        log(`${detail?.batch.stats.succeeded} results stored: ${flags.crash}`);
        execFileSync('bash', ['-c', flags.crash], { stdio: ['ignore', 2, 2] });
        log('back up; polling through the recovery');
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const execs = await api.all<ExecutionJson>(`/v1/batches/${created.batchId}/executions`);
    const ran = readFileSync(journalFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('ran '))
      .map((l) => l.split(' '));
    const result = {
      batchId: created.batchId,
      status: ended.batch.status,
      crashed,
      executions: execs.length,
      final: execs.filter((e) => isFinalExecutionStatus(e.status)).length,
      succeeded: execs.filter((e) => e.status === 'succeeded').length,
      devicesWithOneExecution: new Set(execs.map((e) => e.deviceId)).size,
      runsInJournal: ran.length,
      distinctExecutionsRun: new Set(ran.map((r) => r[1])).size,
      distinctDevicesRun: new Set(ran.map((r) => r[2])).size,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const ok =
      crashed &&
      result.status === 'succeeded' &&
      [result.executions, result.final, result.succeeded, result.devicesWithOneExecution, result.runsInJournal, result.distinctExecutionsRun, result.distinctDevicesRun].every(
        (n) => n === devices,
      );
    return ok ? 0 : 1;
  } finally {
    await fleet.stop();
    await target.stop();
  }
}

runBenchCommand<Flags>(
  new Command('crash-check')
    .description('one batch through a running Flotilla with a crash in the middle; checks every device ran once and ended once')
    .requiredOption('--api <url>', 'Flotilla API')
    .requiredOption('--gateway <ws-url>', 'gateway (or balancer) the fleet connects to')
    .requiredOption('--devices <n>', 'fleet size')
    .requiredOption('--window <n>', 'strategy.concurrency')
    .requiredOption('--after <n>', 'crash once this many results are stored')
    .requiredOption('--crash <command>', 'shell command that kills something and starts it again')
    .option('--timeout <sec>', 'give up after this long', '900'),
  main,
  log,
);
