// A schedule request as clients send it: a name, when (spec + timezone), what (exactly the body of
// POST /v1/batches), and how runs may overlap. PATCH changes spec, batch, overlap or timezone.
import { z } from 'zod';
import { batchRequestSchema } from './batch';
import { OVERLAP_POLICIES, scheduleSpecSchema, timezoneSchema } from './schedule-spec';

/** Names become part of Temporal schedule and workflow ids: letters, digits, dot, dash, underscore. */
export const scheduleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1 to 63 letters, digits, ".", "-" or "_", starting with a letter or digit');

/** Temporal refuses catch-up windows under 10 s; past a missed time by more than this, the run is skipped. */
export const DEFAULT_CATCHUP_WINDOW_SEC = 300;

const instant = z.iso.datetime({ offset: true });

const OVERLAP_DOC =
  'when a run is due while the last one still runs: skip it, buffer one or all, cancel or terminate the running one, or allow all';

export const createScheduleSchema = z
  .object({
    name: scheduleNameSchema,
    spec: scheduleSpecSchema,
    batch: batchRequestSchema.describe('the POST /v1/batches body each run starts'),
    timezone: timezoneSchema.default('UTC'),
    overlap: z.enum(OVERLAP_POLICIES).default('skip').describe(OVERLAP_DOC),
    paused: z.boolean().default(false).describe('create it paused (resume to start taking runs)'),
    note: z.string().max(1000).optional().describe('shown with the schedule, e.g. why it is paused'),
    startAt: instant.optional().describe('no runs before this instant'),
    endAt: instant.refine((v) => Date.parse(v) > Date.now(), 'must be in the future').optional().describe('no runs after this instant'),
    catchupWindowSec: z
      .number()
      .int()
      .min(10)
      .max(365 * 24 * 3600)
      .default(DEFAULT_CATCHUP_WINDOW_SEC)
      .describe('a run missed (e.g. while Temporal was down) still starts if at most this late; later ones are skipped'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.startAt !== undefined && s.endAt !== undefined && Date.parse(s.endAt) <= Date.parse(s.startAt)) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
    }
  });

export const patchScheduleSchema = z
  .object({
    spec: scheduleSpecSchema.optional(),
    batch: batchRequestSchema.optional().describe('the POST /v1/batches body each run starts'),
    overlap: z.enum(OVERLAP_POLICIES).optional().describe(OVERLAP_DOC),
    timezone: timezoneSchema.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'give at least one of spec, batch, overlap, timezone' });

export const pauseScheduleSchema = z.object({ note: z.string().max(1000).optional().describe('why it is paused, shown with the schedule') }).strict();
