// `flotilla batches show|cancel|list`, plus watch and export (batch-follow.ts), pause, resume and retry (batch-control.ts).
import type { Command } from 'commander';
import { BATCH_STATUSES } from '../../domain/status';
import type { BatchDetailJson, BatchJson, ExecutionJson } from '../../api/schemas/batch';
import { formatBatchHeader, formatBatches } from '../format';
import { GROUPED_ABOVE, printResults, type ResultsFlags } from '../results';
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
    .description(`a batch: status, counts, and one line per device (up to ${GROUPED_ABOVE}) or per outcome group`)
    .argument('<id>', 'batch id')
    .option('--devices', 'one line per device, however many')
    .option('--normalize <how>', 'how outputs are compared when grouping: none, whitespace (default) or digits')
    .option('--group <key>', 'only the devices of this outcome group (the key printed after --group)')
    .option('--grep <text>', 'only the devices whose stdout or stderr contains this text (any case)')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, flags: ResultsFlags & { json?: boolean }) => {
        const api = ctx.api();
        const detail = await api.get<BatchDetailJson>(`/v1/batches/${id}`);
        if (flags.json) {
          printJson({ ...detail, executions: await api.all<ExecutionJson>(`/v1/batches/${id}/executions`) });
          return EXIT.ok;
        }
        out(formatBatchHeader(detail.batch, detail.progress));
        out('');
        await printResults(api, id, detail.batch.targetCount, flags);
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
