// Outcome groups as the API shows them, and the query fields that pick a group or search outputs.
import { z } from '@hono/zod-openapi';
import { OUTCOME_NORMALIZATIONS, formatOutcomeKey, parseOutcomeKey, type OutcomeNormalization } from '../../domain/outcome';
import type { OutcomeGroupPage } from '../../db/queries/outcomes';
import { encodeGroupCursor } from '../../db/queries/pagination';
import { executionStatusSchema } from './batch';

export const normalizeSchema = z.enum(OUTCOME_NORMALIZATIONS).default('none').openapi({
  param: { name: 'normalize', in: 'query' },
  description: 'How outputs are compared: none (as they are), whitespace (runs of white space folded, ends trimmed), digits (also runs of digits folded, so uptimes and PIDs do not split groups)',
});

export const groupKeySchema = z
  .string()
  .refine((s) => parseOutcomeKey(s) !== null, { message: 'not a group key (take it from /outcomes)' })
  .openapi({ param: { name: 'group', in: 'query' }, description: 'Only the devices of this outcome group (a key from GET /v1/batches/{id}/outcomes)', example: 'd-9e107d9d372bb6826bd81d3542a419d6' });

/** Output search text: at least one character; three or more use the trigram index. */
export const outputSearchSchema = (param: 'stdout' | 'stderr' | 'output'): z.ZodString =>
  z
    .string()
    .min(1)
    .max(200)
    .openapi({
      param: { name: param, in: 'query' },
      description: `Only devices whose ${param === 'output' ? 'stdout or stderr' : param} contains this text (case-insensitive)`,
    });

export const outcomeGroupSchema = z
  .object({
    key: z.string().openapi({ description: 'Stable id of the group for this normalisation (and step)' }),
    status: executionStatusSchema,
    exitCode: z.number().int().nullable(),
    count: z.number().int().openapi({ description: 'Devices in the group' }),
    stdoutSample: z.string().openapi({ description: "The first 4 KiB of the group's first device's stdout" }),
    stderrSample: z.string().openapi({ description: "The first 4 KiB of the group's first device's stderr" }),
    truncated: z.boolean().openapi({ description: "Some device's output was cut at the 1 MiB capture limit" }),
    deviceIds: z.array(z.uuid()).openapi({ description: 'The first 20 devices of the group, in target order' }),
    devicesUrl: z.string().openapi({ description: 'The executions list of exactly this group' }),
  })
  .openapi('OutcomeGroup');

export const outcomeGroupsSchema = z
  .object({
    items: z.array(outcomeGroupSchema),
    distinct: z.number().int().openapi({ description: 'How many groups the batch has in all' }),
    nextCursor: z.string().nullable(),
  })
  .openapi('OutcomeGroups');

export type OutcomeGroupJson = z.infer<typeof outcomeGroupSchema>;
export type OutcomeGroupsJson = z.infer<typeof outcomeGroupsSchema>;

/** A page of groups as the API and the event stream show it: keys encoded, each with its devices' URL. */
export function toOutcomeGroupsJson(batchId: string, normalize: OutcomeNormalization, step: number | null, page: OutcomeGroupPage): OutcomeGroupsJson {
  const items = page.items.map(({ hash, firstSeq: _first, ...g }) => {
    const key = formatOutcomeKey({ normalize, step, hash });
    return { key, ...g, devicesUrl: `/v1/batches/${batchId}/executions?group=${key}` };
  });
  return { items, distinct: page.distinct, nextCursor: page.next ? encodeGroupCursor(page.next) : null };
}
