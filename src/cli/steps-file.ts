// `flotilla run --steps FILE`: a JSON file holding `[action, ...]` or `{steps, stepMode}`, checked with the
// protocol's own schemas so a mistake is a usage error naming the field, before any request.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { STEP_MODES, stepsSchema } from '../protocol/v1/action';
import { UsageError, type StepsWork } from './parse';

const listSchema = stepsSchema.transform((steps): StepsWork => ({ steps }));
const objectSchema = z.object({ steps: stepsSchema, stepMode: z.enum(STEP_MODES).optional() }).strict();

function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top)'}: ${i.message}`).join('; ');
}

/** The steps of a file's text; `source` names it in errors. */
export function parseStepsFile(text: string, source: string): StepsWork {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  // The shape picks the schema, so an error names the field at fault rather than "no union member matched".
  const parsed = Array.isArray(data) ? listSchema.safeParse(data) : objectSchema.safeParse(data);
  if (!parsed.success) {
    const hint = Array.isArray(data) ? '' : ' (give [action, ...] or {"steps": [...], "stepMode": "sequential"|"parallel"})';
    throw new UsageError(`${source} holds no valid steps${hint}: ${issuesOf(parsed.error)}`);
  }
  return parsed.data;
}

export function readStepsFile(file: string): StepsWork {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseStepsFile(text, file);
}
