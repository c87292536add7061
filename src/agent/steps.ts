// Runs one execution's steps: in order (a failed step ends the run unless it says continueOnError;
// the rest are skipped), or all at once. Each step answers its own result; the execution's result
// follows from them by the rule in src/domain/steps.ts. Cancel stops whatever is running.
import { endsRun, executionOutcome } from '../domain/steps';
import type { Action, FileAction, StepMode } from '../protocol/v1/action';
import type { StepResult } from '../protocol/v1/messages';
import { pushFile, type FetchChunk } from './file-push';
import { refusal, type AgentPolicy } from './policy';
import { startCommand, type CommandResult, type RunOptions } from './runner';
import { startScript } from './script';

export interface StepsContext {
  policy: AgentPolicy;
  fetchChunk: FetchChunk;
  /** Once, when the first step starts. */
  onStarted?: (startedAt: string) => void;
  /** Output of a command or script step as it comes. */
  onOutput?: (step: number, stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  run?: Pick<RunOptions, 'outputCapBytes' | 'killGraceMs' | 'drainMs' | 'baseEnv'>;
}

export interface RunningSteps {
  readonly result: Promise<CommandResult>;
  cancel(): void;
}

interface RunningStep {
  result: Promise<StepResult>;
  cancel(): void;
}

const now = (): string => new Date().toISOString();

function ended(index: number, status: StepResult['status'], error: string | null, startedAt: string | null = null): StepResult {
  return {
    index,
    status,
    exitCode: null,
    stdout: '',
    stderr: '',
    truncated: false,
    startedAt,
    completedAt: status === 'skipped' ? null : now(),
    error,
    bytes: null,
    sha256: null,
  };
}

function startFileStep(step: FileAction, index: number, ctx: StepsContext, onStarted: (at: string) => void): RunningStep {
  const startedAt = now();
  onStarted(startedAt);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort('timed_out'), step.timeoutSec * 1000);
  const stopped = new Promise<StepResult>((resolve) => {
    stop.signal.addEventListener('abort', () => {
      const timedOut = stop.signal.reason === 'timed_out';
      resolve(ended(index, timedOut ? 'timed_out' : 'cancelled', timedOut ? `timed out after ${step.timeoutSec}s` : 'cancelled', startedAt));
    });
  });
  const pushed = pushFile(step, ctx.fetchChunk, stop.signal).then(
    (o): StepResult => ({ ...ended(index, o.ok ? 'succeeded' : 'failed', o.error, startedAt), bytes: o.bytes, sha256: o.sha256 }),
  );
  const result = Promise.race([pushed, stopped]).finally(() => clearTimeout(timer));
  return { result, cancel: () => stop.abort('cancelled') };
}

function startStep(step: Action, index: number, ctx: StepsContext, onStarted: (at: string) => void): RunningStep {
  const refused = refusal(ctx.policy, step);
  if (refused) return { result: Promise.resolve(ended(index, 'failed', refused)), cancel: () => undefined };
  if (step.type === 'file') return startFileStep(step, index, ctx, onStarted);
  const onOutput = ctx.onOutput;
  const opts = { ...ctx.run, onStarted, ...(onOutput ? { onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => onOutput(index, stream, chunk) } : {}) };
  const running = step.type === 'command' ? startCommand(step, opts) : startScript(step, opts);
  return {
    result: running.result.then((r) => ({ ...r, index, bytes: null, sha256: null })),
    cancel: () => running.cancel(),
  };
}

export function startSteps(steps: readonly Action[], mode: StepMode, ctx: StepsContext): RunningSteps {
  let started = false;
  const onStarted = (at: string): void => {
    if (started) return;
    started = true;
    ctx.onStarted?.(at);
  };
  const running = new Set<RunningStep>();
  let cancelled = false;
  const run = (step: Action, index: number): Promise<StepResult> => {
    const r = startStep(step, index, ctx, onStarted);
    running.add(r);
    return r.result.finally(() => running.delete(r));
  };

  const all = (async (): Promise<StepResult[]> => {
    if (mode === 'parallel') return Promise.all(steps.map(run));
    const results: StepResult[] = [];
    let halted = false;
    for (const [i, step] of steps.entries()) {
      if (halted || cancelled) {
        results.push(ended(i, 'skipped', null));
        continue;
      }
      const r = await run(step, i);
      results.push(r);
      halted = endsRun(r, step.continueOnError);
    }
    return results;
  })();

  const result = all.then((results): CommandResult => {
    const outcome = executionOutcome(results, steps.map((s) => s.continueOnError === true));
    const starts = results.flatMap((r) => (r.startedAt ? [r.startedAt] : [])).sort();
    return {
      ...outcome,
      stdout: '',
      stderr: '',
      truncated: results.some((r) => r.truncated),
      startedAt: starts[0] ?? null,
      completedAt: now(),
      steps: results,
    };
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      for (const r of running) r.cancel();
    },
  };
}
