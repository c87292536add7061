// `flotilla run`: start a batch, follow it, print a per-device summary; exit 0 only if every device succeeded.
import type { Command } from 'commander';
import type { CreatedBatch, ExecutionView } from '../api-types';
import { followBatch } from '../follow';
import { LiveLines } from '../live-lines';
import { formatCounts, formatResults } from '../format';
import { EXIT, info, out, printJson } from '../output';
import { buildBatchRequest, collect, commandLine, type RunOptions } from '../parse';
import { resolveGroupIds } from '../resolve';
import { readStepsFile } from '../steps-file';
import { checkPushable, parsePushSpec, withFileSteps } from '../push-spec';
import { pushForSteps } from './files';
import { action, type CommandContext } from './context';

interface RunFlags extends RunOptions {
  group?: string[];
  idempotencyKey?: string;
  json?: boolean;
  live?: boolean;
  steps?: string;
  push?: string[];
}

export function registerRunCommand(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .description('run a command (or --steps FILE) on devices and follow it: flotilla run --group web -- uptime')
    .option('--group <name|id>', 'target a group (repeatable)', collect)
    .option('--tag <tag>', 'target devices with this tag (repeatable; all must match)', collect)
    .option('--device <id>', 'target a device by id (repeatable)', collect)
    .option('--concurrency <n|n%>', 'devices running at once (default 10)')
    .option('--max-failures <n|n%>', 'stop dispatching once failures exceed this')
    .option('--stop-on-failure', 'stop dispatching after the first failure')
    .option('--sequential', 'one device at a time, in target order')
    .option('--wave-size <n|n%>', 'rolling waves: run this many devices at once, each wave finished before the next')
    .option('--wave-pause <sec>', 'seconds to wait between waves')
    .option('--max-failures-per-wave <n|n%>', 'stop the batch when one wave has more failures than this')
    .option('--health-check <command>', 'run this command on each finished wave\'s devices; a failure counts against the wave')
    .option('--approve-after-first-wave', 'pause after the first wave until `flotilla batches resume ID`')
    .option('--steps <file>', 'run the steps of a JSON file ([action, ...] or {steps, stepMode}) instead of a command')
    .option('--push <local:remote[:mode]>', 'upload a local file and write it on each device first (repeatable)', collect)
    .option('--timeout <sec>', 'kill the command after this many seconds')
    .option('--shell <shell>', 'sh, bash, powershell or cmd (default sh)')
    .option('--delivery-timeout <sec>', 'how long a device may stay offline before it is undeliverable')
    .option('--deadline <sec>', 'cancel whatever is left of the batch after this many seconds')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same batch')
    .option('--json', 'print the batch and its executions as JSON')
    .option('--live', 'print what the commands print as they run, each line prefixed with its device (stderr)')
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
        const created = await api.post<CreatedBatch>('/v1/batches', body, headers);
        info(`batch ${created.batchId} started on ${created.targetCount} device(s)`);
        const live = new LiveLines(info);
        const detail = await followBatch(api, created.batchId, {
          quiet: flags.json === true || flags.live === true,
          log: info,
          output: flags.live === true,
          onOutput: (chunk) => live.push(chunk),
        });
        live.flush();
        const executions = await api.all<ExecutionView>(`/v1/batches/${created.batchId}/executions`);
        if (flags.json) {
          printJson({ ...detail, executions });
        } else {
          out(formatResults(executions));
          out('');
          out(`batch ${created.batchId} ${detail.batch.status}: ${formatCounts(detail.batch.stats)}`);
        }
        const allSucceeded = executions.length === created.targetCount && executions.every((e) => e.status === 'succeeded');
        return allSucceeded ? EXIT.ok : EXIT.failed;
      }),
    );
}
