// /v1/devices: register, list (filters + cursor), read, update, delete.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent, ownerQuery, pageOf, pageQuery } from '../../schemas/common';
import { DEVICE_EXAMPLES } from '../../schemas/examples';
import { deviceNameSchema, deviceSchema, deviceStatusSchema, hostnameSchema, tagSchema, tagsSchema } from '../../schemas/device';

const tags = ['devices'];

export const createDeviceBody = z
  .object({
    name: deviceNameSchema,
    hostname: hostnameSchema.optional(),
    tags: tagsSchema.default([]),
  })
  .strict()
  .openapi('CreateDevice');

export const create = createRoute({
  method: 'post',
  path: '/v1/devices',
  operationId: 'createDevice',
  tags,
  summary: 'Register a device; the answer carries its agent token, shown only this once',
  security: bearer,
  request: { body: jsonBody(createDeviceBody, 'The new device', DEVICE_EXAMPLES) },
  responses: {
    201: jsonContent(z.object({ device: deviceSchema, agentToken: z.string().openapi({ description: 'the token the device\'s agent connects with, shown only this once' }) }), 'Registered'),
    ...commonErrors,
    409: errorResponses[409],
  },
});

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).max(50)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));

export const list = createRoute({
  method: 'get',
  path: '/v1/devices',
  operationId: 'listDevices',
  tags,
  summary: 'List devices, oldest first',
  security: bearer,
  request: {
    query: z.object({
      ...pageQuery,
      ...ownerQuery,
      tag: oneOrMany(tagSchema).openapi({ param: { name: 'tag', in: 'query' }, description: 'repeatable; devices having all of them' }),
      group: z.uuid().optional().openapi({ param: { name: 'group', in: 'query' }, description: 'group id' }),
      status: deviceStatusSchema.optional().openapi({ param: { name: 'status', in: 'query' } }),
      q: z.string().min(1).max(200).optional().openapi({ param: { name: 'q', in: 'query' }, description: 'text in name or hostname' }),
    }),
  },
  responses: { 200: jsonContent(pageOf(deviceSchema), 'A page of devices'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/devices/{id}',
  operationId: 'getDevice',
  tags,
  summary: 'Read a device',
  security: bearer,
  request: { params: idParam },
  responses: { 200: jsonContent(z.object({ device: deviceSchema }), 'The device'), ...commonErrors, 404: errorResponses[404] },
});

export const updateDeviceBody = z
  .object({
    name: deviceNameSchema.optional(),
    hostname: hostnameSchema.nullable().optional(),
    tags: tagsSchema.optional(),
  })
  .strict()
  .openapi('UpdateDevice');

export const update = createRoute({
  method: 'patch',
  path: '/v1/devices/{id}',
  operationId: 'updateDevice',
  tags,
  summary: 'Rename, re-host or re-tag a device',
  security: bearer,
  request: { params: idParam, body: jsonBody(updateDeviceBody, 'Fields to change') },
  responses: {
    200: jsonContent(z.object({ device: deviceSchema }), 'The updated device'),
    ...commonErrors,
    ...errorResponses,
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/v1/devices/{id}',
  operationId: 'deleteDevice',
  tags,
  summary: 'Delete a device (its past executions stay); its agent is disconnected at once',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, 404: errorResponses[404] },
});

export const rotateToken = createRoute({
  method: 'post',
  path: '/v1/devices/{id}/rotate-token',
  operationId: 'rotateDeviceToken',
  tags,
  summary: "Issue a new agent token, shown only this once; the old one stops working and the device's session is closed at once",
  security: bearer,
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ token: z.string() }), 'The new agent token'),
    ...commonErrors,
    404: errorResponses[404],
  },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type UpdateRoute = typeof update;
export type RemoveRoute = typeof remove;
export type RotateTokenRoute = typeof rotateToken;
