// What a batch runs on each device, as stored: a list of steps with env values sealed. Pure values
// and functions, safe anywhere.
import type { Action, CommandAction, FileAction, ScriptAction, StepMode } from '../protocol/v1/action';

/** Env values sealed with the server's secret key, never in plain text; their names kept for display. */
type Sealed<A> = Omit<A, 'env'> & { envKeys?: string[]; envSealed?: string };

/** One step as stored. */
export type StoredAction = Sealed<CommandAction> | Sealed<ScriptAction> | FileAction;

/**
 * What a batch runs on each device, as stored on its row: always a list of steps (a request's single
 * `action` is one step). Retries, schedules and health checks copy this shape as it is.
 */
export interface StoredWork {
  steps: StoredAction[];
  stepMode: StepMode;
}

/** The one way to read a batch row's work back (for retries, schedules, display). */
export function workOf(row: { steps: StoredAction[]; stepMode: StepMode }): StoredWork {
  return { steps: row.steps, stepMode: row.stepMode };
}

/** The request's action or steps as one list. */
export function requestedSteps(request: { action?: Action | undefined; steps?: Action[] | undefined }): Action[] {
  return request.steps ?? (request.action ? [request.action] : []);
}

/** Time a device's whole run may take: the sum of the steps' timeouts, or the longest when parallel. */
export function workTimeoutSec(work: StoredWork): number {
  const each = work.steps.map((s) => s.timeoutSec);
  return work.stepMode === 'parallel' ? Math.max(...each) : each.reduce((a, b) => a + b, 0);
}

function describeStep(step: StoredAction | Action): string {
  switch (step.type) {
    case 'command':
      return step.command;
    case 'script':
      return `${step.interpreter} script${step.args && step.args.length > 0 ? ` ${step.args.join(' ')}` : ''}`;
    case 'file':
      return `push file to ${step.path}`;
  }
}

/** A short human line for Temporal UI summaries: never includes env values nor script bodies. */
export function describeWork(work: { steps: ReadonlyArray<StoredAction | Action> }, max = 80): string {
  const [first] = work.steps;
  const head = first ? describeStep(first) : '';
  const text = work.steps.length > 1 ? `${work.steps.length} steps: ${head}; …` : head;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
