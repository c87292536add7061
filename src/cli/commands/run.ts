// `flotilla run`: start a batch, follow it, print a per-device summary; exit 0 only if every device succeeded.
import type { Command } from 'commander';
import type { BatchCreatedJson, ExecutionJson } from '../../api/schemas/batch';
import { followBatch } from '../follow';
import { LiveLines } from '../live-lines';
import { formatCounts } from '../format';
import { GROUPED_ABOVE, printResults, type ResultsFlags } from '../results';
import { EXIT, info, out, printJson } from '../output';
import { withBatchOptions } from '../batch-options';
import { buildBatchRequest, collect, commandLine, type BatchFlags } from '../parse';
import { resolveGroupIds } from '../resolve';
import { readStepsFile } from '../steps-file';
import { checkPushable, parsePushSpec, withFileSteps } from '../push-spec';
import { pushForSteps } from './files';
import { action, type CommandContext } from './context';

interface RunFlags extends BatchFlags, Pick<ResultsFlags, 'devices' | 'normalize'> {
  group?: string[];
  idempotencyKey?: string;
  json?: boolean;
  live?: boolean;
  steps?: string;
  push?: string[];
}

export function registerRunCommand(program: Command, ctx: CommandContext): void {
  withBatchOptions(program.command('run'))
    .description('run a command (or --steps FILE) on devices and follow it: flotilla run --group web -- uptime')
    .option('--steps <file>', 'run the steps of a JSON file ([action, ...] or {steps, stepMode}) instead of a command')
    .option('--push <local:remote[:mode]>', 'upload a local file and write it on each device first (repeatable)', collect)
    .option('--idempotency-key <key>', 'retrying with the same key returns the same batch')
    .option('--json', 'print the batch and its executions as JSON')
    .option('--live', 'print what the commands print as they run, each line prefixed with its device (stderr)')
    .option('--devices', `one line per device even above ${GROUPED_ABOVE} devices (default: one line per outcome group)`)
    .option('--normalize <how>', 'how outputs are compared when grouping: none, whitespace (default) or digits')
    .argument('[command...]', 'the command line, after --')
    .action(
      action(async (words: string[], flags: RunFlags) => {
        // A missing command or a bad steps file is reported before any request.
        const stepsWork = flags.steps === undefined ? undefined : readStepsFile(flags.steps);
        if (stepsWork === undefined) commandLine(words);
        const api = ctx.api();
        const pushes = (flags.push ?? []).map(parsePushSpec);
        const request = buildBatchRequest(flags, await resolveGroupIds(api, flags.group ?? []), words, stepsWork);
        if (pushes.length > 0) checkPushable(request);
        const body = withFileSteps(request, await pushForSteps(ctx, pushes));
        const headers: Record<string, string> = flags.idempotencyKey ? { 'idempotency-key': flags.idempotencyKey } : {};
        const created = await api.post<BatchCreatedJson>('/v1/batches', body, headers);
        info(`batch ${created.batchId} started on ${created.targetCount} device(s)`);
        const live = new LiveLines(info);
        const detail = await followBatch(api, created.batchId, {
          quiet: flags.json === true || flags.live === true,
          log: info,
          output: flags.live === true,
          onOutput: (chunk) => live.push(chunk),
        });
        live.flush();
        if (flags.json) {
          printJson({ ...detail, executions: await api.all<ExecutionJson>(`/v1/batches/${created.batchId}/executions`) });
        } else {
          await printResults(api, created.batchId, created.targetCount, { devices: flags.devices, normalize: flags.normalize });
          out('');
          out(`batch ${created.batchId} ${detail.batch.status}: ${formatCounts(detail.batch.stats)}`);
        }
        return detail.batch.stats.succeeded === created.targetCount ? EXIT.ok : EXIT.failed;
      }),
    );
}
