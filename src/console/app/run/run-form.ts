// The Run dialog's fields and how they become a POST /v1/batches body. Pure: the same builder serves
// a batch and a schedule's batch, and the server's zod schema has the last word on every value.
import type { BatchRequest } from '../types';

export interface RunPrefill {
  deviceIds?: string[];
  deviceNames?: Record<string, string>;
  groupIds?: string[];
  tags?: string[];
}

export type ActionKind = 'command' | 'script' | 'steps' | 'file';
export type StrategyMode = 'parallel' | 'sequential' | 'waves';
export type FailurePolicy = 'none' | 'max' | 'stop';

export interface RunForm {
  deviceIds: string[];
  deviceNames: Record<string, string>;
  groupIds: string[];
  tags: string[];
  kind: ActionKind;
  command: string;
  shell: 'sh' | 'bash' | 'powershell' | 'cmd';
  interpreter: 'sh' | 'bash' | 'powershell' | 'python3' | 'node';
  scriptBody: string;
  stepsJson: string;
  stepMode: 'sequential' | 'parallel';
  fileId: string;
  filePath: string;
  fileMode: string;
  timeoutSec: string;
  mode: StrategyMode;
  concurrency: string;
  failure: FailurePolicy;
  maxFailures: string;
  waveSize: string;
  pauseBetweenWavesSec: string;
  maxFailuresPerWave: string;
  healthCheck: string;
  approveAfterFirstWave: boolean;
  deliveryTimeoutSec: string;
  deadlineSec: string;
}

export function emptyRunForm(prefill: RunPrefill = {}): RunForm {
  return {
    deviceIds: prefill.deviceIds ?? [],
    deviceNames: prefill.deviceNames ?? {},
    groupIds: prefill.groupIds ?? [],
    tags: prefill.tags ?? [],
    kind: 'command',
    command: '',
    shell: 'sh',
    interpreter: 'bash',
    scriptBody: '',
    stepsJson: '[\n  {"type": "command", "command": "uptime"}\n]',
    stepMode: 'sequential',
    fileId: '',
    filePath: '',
    fileMode: '',
    timeoutSec: '300',
    mode: 'parallel',
    concurrency: '10',
    failure: 'none',
    maxFailures: '',
    waveSize: '10%',
    pauseBetweenWavesSec: '0',
    maxFailuresPerWave: '',
    healthCheck: '',
    approveAfterFirstWave: false,
    deliveryTimeoutSec: '300',
    deadlineSec: '',
  };
}

export class FormError extends Error {}

/** "10" -> 10, "10%" -> "10%"; anything else is the named field's error. */
export function countOrPercent(value: string, field: string): number | string {
  const v = value.trim();
  if (/^\d+(\.\d+)?%$/.test(v)) return v;
  if (/^\d+$/.test(v)) return Number(v);
  throw new FormError(`${field}: a whole number or a percentage like 10%`);
}

function whole(value: string, field: string): number {
  const v = value.trim();
  if (!/^\d+$/.test(v)) throw new FormError(`${field}: a whole number`);
  return Number(v);
}

export function targetsOf(f: Pick<RunForm, 'deviceIds' | 'groupIds' | 'tags'>): BatchRequest['targets'] {
  return {
    ...(f.deviceIds.length ? { deviceIds: f.deviceIds } : {}),
    ...(f.groupIds.length ? { groupIds: f.groupIds } : {}),
    ...(f.tags.length ? { tags: f.tags } : {}),
  };
}

export function hasTargets(f: Pick<RunForm, 'deviceIds' | 'groupIds' | 'tags'>): boolean {
  return f.deviceIds.length + f.groupIds.length + f.tags.length > 0;
}

function work(f: RunForm): Pick<BatchRequest, 'action' | 'steps' | 'stepMode'> {
  const timeoutSec = whole(f.timeoutSec, 'Timeout');
  switch (f.kind) {
    case 'command':
      if (!f.command.trim()) throw new FormError('Command: must not be empty');
      return { action: { type: 'command', command: f.command, shell: f.shell, timeoutSec } };
    case 'script':
      if (!f.scriptBody.trim()) throw new FormError('Script: must not be empty');
      return { action: { type: 'script', interpreter: f.interpreter, body: f.scriptBody, timeoutSec } };
    case 'file':
      if (!f.fileId) throw new FormError('File: pick an uploaded file');
      return {
        action: { type: 'file', fileId: f.fileId, path: f.filePath.trim(), timeoutSec, ...(f.fileMode.trim() ? { mode: f.fileMode.trim() } : {}) },
      };
    case 'steps': {
      let steps: unknown;
      try {
        steps = JSON.parse(f.stepsJson);
      } catch {
        throw new FormError('Steps: not valid JSON (an array of actions)');
      }
      if (!Array.isArray(steps)) throw new FormError('Steps: must be a JSON array of actions');
      return { steps: steps as NonNullable<BatchRequest['steps']>, stepMode: f.stepMode };
    }
  }
}

function strategy(f: RunForm): NonNullable<BatchRequest['strategy']> {
  const failures =
    f.failure === 'stop' ? { stopOnFailure: true } : f.failure === 'max' ? { maxFailures: countOrPercent(f.maxFailures, 'Max failures') } : {};
  if (f.mode === 'sequential') return { mode: 'sequential', ...failures };
  if (f.mode === 'parallel') return { mode: 'parallel', concurrency: countOrPercent(f.concurrency, 'Concurrency'), ...failures };
  return {
    mode: 'waves',
    ...failures,
    waveSize: countOrPercent(f.waveSize, 'Wave size'),
    pauseBetweenWavesSec: whole(f.pauseBetweenWavesSec || '0', 'Pause between waves'),
    ...(f.maxFailuresPerWave.trim() ? { maxFailuresPerWave: countOrPercent(f.maxFailuresPerWave, 'Max failures per wave') } : {}),
    ...(f.healthCheck.trim() ? { healthCheck: { type: 'command', command: f.healthCheck } } : {}),
    ...(f.approveAfterFirstWave ? { approveAfterFirstWave: true } : {}),
  };
}

/** The request body, or a FormError naming the field to fix. */
export function batchRequestOf(f: RunForm): BatchRequest {
  if (!hasTargets(f)) throw new FormError('Targets: pick at least one device, group or tag');
  return {
    targets: targetsOf(f),
    ...work(f),
    strategy: strategy(f),
    deliveryTimeoutSec: whole(f.deliveryTimeoutSec, 'Delivery window'),
    ...(f.deadlineSec.trim() ? { deadlineSec: whole(f.deadlineSec, 'Deadline') } : {}),
  };
}

/** A stored batch request back into the form, to edit a schedule with the same fields. */
export function runFormOf(req: Record<string, unknown>): RunForm {
  const r = req as Partial<BatchRequest>;
  const f = emptyRunForm({ deviceIds: r.targets?.deviceIds, groupIds: r.targets?.groupIds, tags: r.targets?.tags });
  const a = r.action;
  if (r.steps) Object.assign(f, { kind: 'steps', stepsJson: JSON.stringify(r.steps, null, 2), stepMode: r.stepMode ?? 'sequential' });
  else if (a?.type === 'command') Object.assign(f, { kind: 'command', command: a.command, shell: a.shell ?? 'sh', timeoutSec: String(a.timeoutSec ?? 300) });
  else if (a?.type === 'script') Object.assign(f, { kind: 'script', interpreter: a.interpreter, scriptBody: a.body, timeoutSec: String(a.timeoutSec ?? 300) });
  else if (a?.type === 'file') Object.assign(f, { kind: 'file', fileId: a.fileId, filePath: a.path, fileMode: a.mode ?? '', timeoutSec: String(a.timeoutSec ?? 300) });
  const s = r.strategy;
  if (s) {
    f.mode = s.mode ?? 'parallel';
    if (s.concurrency !== undefined) f.concurrency = String(s.concurrency);
    if (s.stopOnFailure) f.failure = 'stop';
    else if (s.maxFailures !== undefined) Object.assign(f, { failure: 'max', maxFailures: String(s.maxFailures) });
    if (s.waveSize !== undefined) f.waveSize = String(s.waveSize);
    if (s.pauseBetweenWavesSec !== undefined) f.pauseBetweenWavesSec = String(s.pauseBetweenWavesSec);
    if (s.maxFailuresPerWave !== undefined) f.maxFailuresPerWave = String(s.maxFailuresPerWave);
    if (s.healthCheck?.type === 'command') f.healthCheck = s.healthCheck.command;
    f.approveAfterFirstWave = s.approveAfterFirstWave ?? false;
  }
  if (r.deliveryTimeoutSec !== undefined) f.deliveryTimeoutSec = String(r.deliveryTimeoutSec);
  if (r.deadlineSec !== undefined) f.deadlineSec = String(r.deadlineSec);
  return f;
}
