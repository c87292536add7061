// `flotilla batches pause|resume|retry`.
import type { Command } from 'commander';
import { FINAL_EXECUTION_STATUSES } from '../../domain/status';
import { EXIT, out, printJson } from '../output';
import { UsageError } from '../parse';
import { action, type CommandContext } from './context';

interface Retried {
  batchId: string;
  retryOf: string;
  targetCount: number;
  deviceIds: string[];
}

function parseStatuses(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const statuses = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = statuses.filter((s) => !(FINAL_EXECUTION_STATUSES as readonly string[]).includes(s));
  if (statuses.length === 0 || bad.length > 0) throw new UsageError(`--status takes a comma-separated list of ${FINAL_EXECUTION_STATUSES.join(', ')}`);
  return statuses;
}

export function registerBatchControlCommands(batches: Command, ctx: CommandContext): void {
  batches
    .command('pause')
    .description('stop dispatching new devices (running ones finish); the batch shows paused until resumed')
    .argument('<id>', 'batch id')
    .action(
      action(async (id: string) => {
        await ctx.api().post(`/v1/batches/${id}/pause`);
        out(`pausing batch ${id}`);
        return EXIT.ok;
      }),
    );

  batches
    .command('resume')
    .description('dispatch again after a pause, or approve the next waves (approveAfterFirstWave)')
    .argument('<id>', 'batch id')
    .action(
      action(async (id: string) => {
        await ctx.api().post(`/v1/batches/${id}/resume`);
        out(`resuming batch ${id}`);
        return EXIT.ok;
      }),
    );

  batches
    .command('retry')
    .description('a new batch with the same action and strategy on the devices that ended failed, timed_out or undeliverable')
    .argument('<id>', 'batch id (finished)')
    .option('--status <list>', 'retry devices that ended in these statuses instead (comma-separated)')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, flags: { status?: string; json?: boolean }) => {
        const statuses = parseStatuses(flags.status);
        const r = await ctx.api().post<Retried>(`/v1/batches/${id}/retry`, statuses ? { statuses } : {});
        if (flags.json) printJson(r);
        else out(`batch ${r.batchId} retries ${r.targetCount} ${r.targetCount === 1 ? 'device' : 'devices'} of batch ${r.retryOf}`);
        return EXIT.ok;
      }),
    );
}
