// Pure parsing of command-line values into API requests. Usage mistakes throw UsageError (exit 2).
import { SHELLS, type Action, type Shell, type StepMode } from '../protocol/v1/action';
import { PERCENT_PATTERN } from '../domain/percent';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** For repeatable options: `--tag a --tag b`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** "10" → 10, "25%" → "25%" (the API resolves percentages against the target count). */
export function parseCountOrPercent(flag: string, raw: string): number | string {
  if (PERCENT_PATTERN.test(raw)) return raw;
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  throw new UsageError(`${flag} must be a whole number or a percentage like "10%", got "${raw}"`);
}

export function parsePositiveInt(flag: string, raw: string): number {
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new UsageError(`${flag} must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

export function parseShell(raw: string): Shell {
  if (!(SHELLS as readonly string[]).includes(raw)) throw new UsageError(`--shell must be one of ${SHELLS.join(', ')}, got "${raw}"`);
  return raw as Shell;
}

export interface BatchFlags {
  device?: string[];
  tag?: string[];
  concurrency?: string;
  maxFailures?: string;
  stopOnFailure?: boolean;
  sequential?: boolean;
  waveSize?: string;
  wavePause?: string;
  maxFailuresPerWave?: string;
  healthCheck?: string;
  approveAfterFirstWave?: boolean;
  timeout?: string;
  shell?: string;
  deliveryTimeout?: string;
  deadline?: string;
}

/** What `run --steps FILE` reads (steps-file.ts): the steps, and how they run. */
export interface StepsWork {
  steps: Action[];
  stepMode?: StepMode;
}

/** The words after `--` as one shell command line; none is a usage error. */
export function commandLine(words: string[]): string {
  const command = words.join(' ').trim();
  if (!command) throw new UsageError('give the command to run after --, e.g. `flotilla run --group web -- uptime`');
  return command;
}

/** Exactly one of a command (after --) or a steps file; --shell and --timeout apply to a command only. */
function requestWork(opts: BatchFlags, commandWords: string[], stepsWork: StepsWork | undefined): Record<string, unknown> {
  if (stepsWork === undefined) return { action: commandAction(opts, commandWords) };
  if (commandWords.length > 0) throw new UsageError('give --steps FILE or a command after --, not both');
  if (opts.shell !== undefined || opts.timeout !== undefined) {
    throw new UsageError('--shell and --timeout apply to a command; with --steps, set shell and timeoutSec in each step');
  }
  return stepsWork.stepMode === undefined ? { steps: stepsWork.steps } : { steps: stepsWork.steps, stepMode: stepsWork.stepMode };
}

function commandAction(opts: BatchFlags, commandWords: string[]): Record<string, unknown> {
  const action: Record<string, unknown> = { type: 'command', command: commandLine(commandWords) };
  if (opts.shell !== undefined) action.shell = parseShell(opts.shell);
  if (opts.timeout !== undefined) action.timeoutSec = parsePositiveInt('--timeout', opts.timeout);
  return action;
}

/** Rolling waves when --wave-size is given; the other wave flags need it, and it excludes the other modes. */
function waveStrategy(opts: BatchFlags): Record<string, unknown> | undefined {
  const waveOnly = { '--wave-pause': opts.wavePause, '--max-failures-per-wave': opts.maxFailuresPerWave, '--health-check': opts.healthCheck, '--approve-after-first-wave': opts.approveAfterFirstWave };
  if (opts.waveSize === undefined) {
    const given = Object.entries(waveOnly).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (given.length > 0) throw new UsageError(`${given.join(', ')} apply to rolling waves: add --wave-size`);
    return undefined;
  }
  if (opts.sequential || opts.concurrency !== undefined) throw new UsageError('--wave-size runs whole waves at once; drop --sequential and --concurrency');
  const waveSize = parseCountOrPercent('--wave-size', opts.waveSize);
  if (waveSize === 0) throw new UsageError('--wave-size must be at least 1');
  const strategy: Record<string, unknown> = { mode: 'waves', waveSize };
  if (opts.wavePause !== undefined) {
    if (!/^[0-9]+$/.test(opts.wavePause)) throw new UsageError('--wave-pause must be a whole number of seconds');
    strategy.pauseBetweenWavesSec = Number(opts.wavePause);
  }
  if (opts.maxFailuresPerWave !== undefined) strategy.maxFailuresPerWave = parseCountOrPercent('--max-failures-per-wave', opts.maxFailuresPerWave);
  if (opts.healthCheck !== undefined) strategy.healthCheck = { type: 'command', command: commandLine([opts.healthCheck]) };
  if (opts.approveAfterFirstWave) strategy.approveAfterFirstWave = true;
  return strategy;
}

/**
 * The POST /v1/batches body for `flotilla run`, given group ids already resolved from names: the command
 * words, or (for `run --steps FILE`) the steps read from the file.
 */
export function buildBatchRequest(opts: BatchFlags, groupIds: string[], commandWords: string[], stepsWork?: StepsWork): Record<string, unknown> {
  const work = requestWork(opts, commandWords, stepsWork);
  const deviceIds = opts.device ?? [];
  const bad = deviceIds.filter((d) => !isUuid(d));
  if (bad.length > 0) throw new UsageError(`--device takes device ids (UUIDs); not ids: ${bad.join(', ')}`);
  const tags = opts.tag ?? [];
  if (deviceIds.length + groupIds.length + tags.length === 0) {
    throw new UsageError('name the targets with --group, --tag or --device');
  }
  if (opts.stopOnFailure && opts.maxFailures !== undefined) throw new UsageError('give --stop-on-failure or --max-failures, not both');
  if (opts.sequential && opts.concurrency !== undefined) throw new UsageError('--sequential runs one device at a time; drop --concurrency');

  const strategy: Record<string, unknown> = waveStrategy(opts) ?? { mode: opts.sequential ? 'sequential' : 'parallel' };
  if (opts.concurrency !== undefined) strategy.concurrency = parseCountOrPercent('--concurrency', opts.concurrency);
  if (opts.maxFailures !== undefined) strategy.maxFailures = parseCountOrPercent('--max-failures', opts.maxFailures);
  if (opts.stopOnFailure) strategy.stopOnFailure = true;

  const targets: Record<string, string[]> = {};
  if (deviceIds.length > 0) targets.deviceIds = deviceIds;
  if (groupIds.length > 0) targets.groupIds = groupIds;
  if (tags.length > 0) targets.tags = tags;

  const body: Record<string, unknown> = { targets, ...work, strategy };
  if (opts.deliveryTimeout !== undefined) {
    if (!/^[0-9]+$/.test(opts.deliveryTimeout)) throw new UsageError(`--delivery-timeout must be a whole number of seconds`);
    body.deliveryTimeoutSec = Number(opts.deliveryTimeout);
  }
  if (opts.deadline !== undefined) body.deadlineSec = parsePositiveInt('--deadline', opts.deadline);
  return body;
}
