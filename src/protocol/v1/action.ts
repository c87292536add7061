// What a device is asked to run. Shared by the HTTP API (request validation), the database
// (stored per batch) and the wire (dispatch frames), so it is defined once, here.
import { z } from 'zod';

export const SHELLS = ['sh', 'bash', 'powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

export const MAX_COMMAND_BYTES = 64 * 1024;
export const MAX_TIMEOUT_SEC = 24 * 60 * 60;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');

export const commandActionSchema = z
  .object({
    type: z.literal('command'),
    command: z
      .string()
      .min(1, 'must not be empty')
      .refine((s) => Buffer.byteLength(s) <= MAX_COMMAND_BYTES, `must be at most ${MAX_COMMAND_BYTES} bytes`)
      .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters'),
    shell: z.enum(SHELLS).default('sh'),
    timeoutSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC).default(300),
    env: z
      .record(envName, z.string().max(32 * 1024).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters'))
      .refine((r) => Object.keys(r).length <= 100, 'at most 100 variables')
      .optional(),
    cwd: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const actionSchema = z.discriminatedUnion('type', [commandActionSchema]);

export type CommandAction = z.infer<typeof commandActionSchema>;
export type Action = z.infer<typeof actionSchema>;
