// Steps as the API shows them: each kind's fields with env values redacted, and each step's result.
import { z } from '@hono/zod-openapi';
import type { StepView } from '../../db/queries/execution-steps';
import type { StoredAction } from '../../domain/work';
import { STEP_STATUSES } from '../../domain/status';
import { INTERPRETERS, SHELLS } from '../../protocol/v1/action';
import { REDACTED, redactedEnv } from '../../security/secrets';
import { iso, timestamp } from './common';

const common = {
  timeoutSec: z.number().int(),
  continueOnError: z.boolean().optional(),
};
const processCommon = {
  ...common,
  cwd: z.string().optional(),
  env: z.record(z.string(), z.literal(REDACTED)).optional(),
};

export const shownActionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('command'), command: z.string(), shell: z.enum(SHELLS), ...processCommon }),
    z.object({ type: z.literal('script'), interpreter: z.enum(INTERPRETERS), body: z.string(), args: z.array(z.string()).optional(), ...processCommon }),
    z.object({
      type: z.literal('file'),
      fileId: z.uuid(),
      path: z.string(),
      mode: z.string().optional(),
      createDirs: z.boolean().optional(),
      ...common,
    }),
  ])
  .openapi('ShownAction');
export type ShownAction = z.infer<typeof shownActionSchema>;

export function showAction(a: StoredAction): ShownAction {
  if (a.type === 'file') return a;
  const { envKeys, envSealed: _sealed, ...rest } = a;
  return envKeys === undefined ? rest : { ...rest, env: redactedEnv(envKeys) };
}

export const stepResultSchema = z
  .object({
    index: z.number().int().openapi({ description: 'position in the batch steps, from 0' }),
    type: z.enum(['command', 'script', 'file']),
    status: z.enum(STEP_STATUSES),
    exitCode: z.number().int().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    truncated: z.boolean(),
    error: z.string().nullable(),
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    durationMs: z.number().int().nullable(),
    bytes: z.number().int().nullable().openapi({ description: 'file steps: size of the file written' }),
    sha256: z.string().nullable().openapi({ description: 'file steps: sha256 of the file written' }),
  })
  .openapi('StepResult');

export type StepResultJson = z.infer<typeof stepResultSchema>;

export function toStepJson(s: StepView): StepResultJson {
  return {
    index: s.idx,
    type: s.kind,
    status: s.status,
    exitCode: s.exitCode,
    stdout: s.stdout,
    stderr: s.stderr,
    truncated: s.truncated,
    error: s.error,
    startedAt: iso(s.startedAt),
    completedAt: iso(s.completedAt),
    durationMs: s.startedAt && s.completedAt ? s.completedAt.getTime() - s.startedAt.getTime() : null,
    bytes: s.bytes,
    sha256: s.sha256,
  };
}
