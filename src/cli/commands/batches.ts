// `flotilla batches show|cancel|list`, plus watch and export (batch-follow.ts), pause, resume and retry (batch-control.ts).
import type { Command } from 'commander';
import { BATCH_STATUSES } from '../../domain/status';
import type { BatchDetailJson, BatchJson, ExecutionJson } from '../../api/schemas/batch';
import { formatBatchHeader, formatBatches, formatResults } from '../format';
import { EXIT, out, printJson } from '../output';
import { UsageError, parsePositiveInt } from '../parse';
import { registerBatchControlCommands } from './batch-control';
import { registerBatchFollowCommands } from './batch-follow';
import { action, type CommandContext } from './context';

export function registerBatchesCommands(program: Command, ctx: CommandContext): void {
  const batches = program.command('batches').description('inspect, follow, export and cancel batches');
  registerBatchFollowCommands(batches, ctx);
  registerBatchControlCommands(batches, ctx);

  batches
    .command('show')
    .description('a batch: status, counts and one line per device')
    .argument('<id>', 'batch id')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, flags: { json?: boolean }) => {
        const api = ctx.api();
        const detail = await api.get<BatchDetailJson>(`/v1/batches/${id}`);
        const executions = await api.all<ExecutionJson>(`/v1/batches/${id}/executions`);
        if (flags.json) {
          printJson({ ...detail, executions });
          return EXIT.ok;
        }
        out(formatBatchHeader(detail.batch, detail.progress));
        out('');
        out(formatResults(executions));
        return EXIT.ok;
      }),
    );

  batches
    .command('cancel')
    .description('cancel a running batch: running commands are killed, the rest never start')
    .argument('<id>', 'batch id')
    .action(
      action(async (id: string) => {
        await ctx.api().post(`/v1/batches/${id}/cancel`);
        out(`cancelling batch ${id}`);
        return EXIT.ok;
      }),
    );

  batches
    .command('list')
    .description('recent batches, newest first')
    .option('--status <status>', `only batches in this status (${BATCH_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { status?: string; limit: string; json?: boolean }) => {
        if (flags.status && !(BATCH_STATUSES as readonly string[]).includes(flags.status)) {
          throw new UsageError(`--status must be one of ${BATCH_STATUSES.join(', ')}`);
        }
        const items = await ctx.api().all<BatchJson>('/v1/batches', { status: flags.status }, parsePositiveInt('--limit', flags.limit));
        if (flags.json) printJson(items);
        else out(formatBatches(items));
        return EXIT.ok;
      }),
    );
}
