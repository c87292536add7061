// A device as the API shows it: never its token hash, with online/offline judged from heartbeats.
import { z } from '@hono/zod-openapi';
import type { DeviceView } from '../../db/queries/devices';
import { deviceFactsSchema } from '../../protocol/v1/messages';
import { iso, ownerSchema, shownOwner, timestamp } from './common';

const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export const deviceNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(NO_CONTROL_CHARS, 'must not contain control characters')
  .refine((s) => s.trim() === s, 'must not start or end with whitespace')
  .openapi({ example: 'web-01' });

export const hostnameSchema = z.string().min(1).max(255).regex(NO_CONTROL_CHARS, 'must not contain control characters');

export const tagSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s,]+$/, 'must not contain whitespace or commas')
  .openapi({ example: 'web' });

export const tagsSchema = z.array(tagSchema).max(50);

export const deviceStatusSchema = z.enum(['online', 'offline']);

export const deviceSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    name: z.string(),
    hostname: z.string().nullable(),
    tags: z.array(z.string()),
    status: deviceStatusSchema,
    lastSeenAt: timestamp.nullable(),
    facts: deviceFactsSchema.nullable().openapi({ description: 'what the agent reported about its machine when it last connected; null before that' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Device');

export type DeviceJson = z.infer<typeof deviceSchema>;

export function toDeviceJson(d: DeviceView, showOwner: boolean): DeviceJson {
  return {
    id: d.id,
    ...shownOwner(d.owner, showOwner),
    name: d.name,
    hostname: d.hostname,
    tags: d.tags,
    status: d.status,
    lastSeenAt: iso(d.lastSeenAt),
    facts: d.facts,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}
