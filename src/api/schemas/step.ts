// Steps as the API shows them: each kind's fields with env values redacted, and each step's result.
import { z } from '@hono/zod-openapi';
import type { StepView } from '../../db/queries/execution-steps';
import type { StoredAction } from '../../domain/work';
import { STEP_STATUSES } from '../../domain/status';
import { INTERPRETERS, SHELLS } from '../../protocol/v1/action';
import { REDACTED, redactedEnv } from '../../security/secrets';
import { iso, timestamp } from './common';

const common = {
  timeoutSec: z.number().int().openapi({ description: 'seconds the step may run before it is killed' }),
  continueOnError: z.boolean().optional().openapi({ description: "a failure of this step does not end the device's run" }),
};
const processCommon = {
  ...common,
  cwd: z.string().optional().openapi({ description: 'working folder on the device' }),
  env: z.record(z.string(), z.literal(REDACTED)).optional().openapi({ description: 'environment variable names; values are never shown' }),
};

export const shownActionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('command'), command: z.string(), shell: z.enum(SHELLS).openapi({ description: 'the shell that runs the command' }), ...processCommon }),
    z.object({
      type: z.literal('script'),
      interpreter: z.enum(INTERPRETERS).openapi({ description: 'the program the body is handed to' }),
      body: z.string().openapi({ description: 'the script text' }),
      args: z.array(z.string()).optional().openapi({ description: 'arguments passed to the script' }),
      ...processCommon,
    }),
    z.object({
      type: z.literal('file'),
      fileId: z.uuid().openapi({ description: 'the uploaded file pushed' }),
      path: z.string().openapi({ description: 'absolute path written on the device' }),
      mode: z.string().optional().openapi({ description: 'octal permission bits' }),
      createDirs: z.boolean().optional().openapi({ description: 'missing parent folders are created' }),
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
    truncated: z.boolean().openapi({ description: 'the agent kept only the first 1 MiB of an output' }),
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
