// A group as the API shows it, with its member count, and with its members on GET /v1/groups/:id.
import { z } from '@hono/zod-openapi';
import type { GroupView, GroupWithDevices } from '../../db/queries/groups';
import { iso, ownerSchema, shownOwner, timestamp } from './common';
import { deviceSchema, toDeviceJson } from './device';

export const groupNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .refine((s) => s.trim() === s, 'must not start or end with whitespace')
  .openapi({ example: 'web' });

/** Members given by id; at most the largest batch. */
export const memberIdsSchema = z.array(z.uuid()).max(10_000).openapi({ description: "member devices by id (the caller's own devices)" });

export const groupSchema = z
  .object({
    id: z.uuid(),
    owner: ownerSchema,
    name: z.string(),
    deviceCount: z.number().int().openapi({ description: 'number of member devices' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Group');

export const groupWithDevicesSchema = groupSchema.extend({ devices: z.array(deviceSchema) }).openapi('GroupWithDevices');

export type GroupJson = z.infer<typeof groupSchema>;
export type GroupWithDevicesJson = z.infer<typeof groupWithDevicesSchema>;

export function toGroupJson(g: GroupView, showOwner: boolean): GroupJson {
  return { id: g.id, ...shownOwner(g.owner, showOwner), name: g.name, deviceCount: g.deviceCount, createdAt: iso(g.createdAt), updatedAt: iso(g.updatedAt) };
}

export function toGroupWithDevicesJson(g: GroupWithDevices, showOwner: boolean): GroupWithDevicesJson {
  return { ...toGroupJson(g, showOwner), devices: g.devices.map((d) => toDeviceJson(d, showOwner)) };
}
