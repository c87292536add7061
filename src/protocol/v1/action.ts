// What a device is asked to run. Shared by the HTTP API (request validation), the database
// (stored per batch) and the wire (dispatch frames), so it is defined once, here.
import { z } from 'zod';

export const SHELLS = ['sh', 'bash', 'powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

export const INTERPRETERS = ['sh', 'bash', 'powershell', 'python3', 'node'] as const;
export type Interpreter = (typeof INTERPRETERS)[number];

export const STEP_MODES = ['sequential', 'parallel'] as const;
export type StepMode = (typeof STEP_MODES)[number];

export const MAX_COMMAND_BYTES = 64 * 1024;
export const MAX_SCRIPT_BYTES = 256 * 1024;
export const MAX_TIMEOUT_SEC = 24 * 60 * 60;
export const MAX_STEPS = 20;

const noNul = (s: string): boolean => !s.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');
const maxBytes = (n: number) => (s: string): boolean => Buffer.byteLength(s) <= n;

/** Fields every kind of step has. */
const stepFields = {
  timeoutSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC).default(300).describe('seconds the step may run on the device before it is killed (timed_out)'),
  /** A failure of this step does not end the device's run, nor fail the device. */
  continueOnError: z.boolean().optional().describe("a failure of this step does not end the device's run nor fail the device"),
};

const processFields = {
  ...stepFields,
  env: z
    .record(envName, z.string().max(32 * 1024).refine(noNul, NO_NUL))
    .refine((r) => Object.keys(r).length <= 100, 'at most 100 variables')
    .optional()
    .describe('environment variables for the process; values are sealed at rest and shown redacted'),
  cwd: z.string().min(1).max(4096).optional().describe('working folder on the device'),
};

export const commandActionSchema = z
  .object({
    type: z.literal('command'),
    command: z
      .string()
      .min(1, 'must not be empty')
      .refine(maxBytes(MAX_COMMAND_BYTES), `must be at most ${MAX_COMMAND_BYTES} bytes`)
      .refine(noNul, NO_NUL)
      .describe('the command line, run by `shell`'),
    shell: z.enum(SHELLS).default('sh').describe('the shell that runs the command text'),
    ...processFields,
  })
  .strict();

export const scriptActionSchema = z
  .object({
    type: z.literal('script'),
    interpreter: z.enum(INTERPRETERS).describe('the program the script body is handed to'),
    body: z
      .string()
      .min(1, 'must not be empty')
      .refine(maxBytes(MAX_SCRIPT_BYTES), `must be at most ${MAX_SCRIPT_BYTES} bytes`)
      .refine(noNul, NO_NUL)
      .describe(`the script text, at most ${MAX_SCRIPT_BYTES} bytes`),
    args: z.array(z.string().max(4096).refine(noNul, NO_NUL)).max(100).optional().describe('arguments passed to the script'),
    ...processFields,
  })
  .strict();

export const fileActionSchema = z
  .object({
    type: z.literal('file'),
    fileId: z.string().uuid().describe('an uploaded file (POST /v1/files)'),
    /** Absolute path of the file to write on the device. */
    path: z
      .string()
      .min(1)
      .max(4096)
      .refine(noNul, NO_NUL)
      .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path')
      .describe('absolute path of the file to write on the device'),
    /** Octal permission bits as a string, e.g. "0644". */
    mode: z.string().regex(/^0?[0-7]{3,4}$/, 'must be octal permission bits like "0644"').optional().describe('octal permission bits, e.g. "0644"'),
    createDirs: z.boolean().optional().describe('create missing parent folders'),
    ...stepFields,
  })
  .strict();

export const actionSchema = z.discriminatedUnion('type', [commandActionSchema, scriptActionSchema, fileActionSchema]);
export const stepsSchema = z.array(actionSchema).min(1, 'give at least one step').max(MAX_STEPS, `at most ${MAX_STEPS} steps`);

export type CommandAction = z.infer<typeof commandActionSchema>;
export type ScriptAction = z.infer<typeof scriptActionSchema>;
export type FileAction = z.infer<typeof fileActionSchema>;
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];

/** The step kinds that start a process, and so may carry env values. */
export type ProcessAction = CommandAction | ScriptAction;
