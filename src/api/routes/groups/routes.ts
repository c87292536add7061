// /v1/groups: create, list (by exact name for the CLI), read with members, replace members, delete.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent, ownerQuery, pageOf, pageQuery } from '../../schemas/common';
import { groupNameSchema, groupSchema, groupWithDevicesSchema, memberIdsSchema } from '../../schemas/group';

const tags = ['groups'];

export const create = createRoute({
  method: 'post',
  path: '/v1/groups',
  operationId: 'createGroup',
  tags,
  summary: 'Create a group, optionally with members',
  security: bearer,
  request: {
    body: jsonBody(
      z.object({ name: groupNameSchema, deviceIds: memberIdsSchema.default([]) }).strict().openapi('CreateGroup'),
      'The new group',
    ),
  },
  responses: {
    201: jsonContent(z.object({ group: groupSchema }), 'Created'),
    ...commonErrors,
    409: errorResponses[409],
  },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/groups',
  operationId: 'listGroups',
  tags,
  summary: 'List groups, oldest first',
  security: bearer,
  request: {
    query: z.object({
      ...pageQuery,
      ...ownerQuery,
      name: groupNameSchema.optional().openapi({ param: { name: 'name', in: 'query' }, description: 'exact name' }),
    }),
  },
  responses: { 200: jsonContent(pageOf(groupSchema), 'A page of groups'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/groups/{id}',
  operationId: 'getGroup',
  tags,
  summary: 'Read a group with its member devices (by name)',
  security: bearer,
  request: { params: idParam },
  responses: {
    200: jsonContent(z.object({ group: groupWithDevicesSchema }), 'The group'),
    ...commonErrors,
    404: errorResponses[404],
  },
});

export const setDevices = createRoute({
  method: 'put',
  path: '/v1/groups/{id}/devices',
  operationId: 'setGroupDevices',
  tags,
  summary: 'Replace the members of a group',
  security: bearer,
  request: {
    params: idParam,
    body: jsonBody(z.object({ deviceIds: memberIdsSchema }).strict().openapi('GroupDevices'), 'The new members'),
  },
  responses: {
    200: jsonContent(z.object({ group: groupWithDevicesSchema }), 'The group with its new members'),
    ...commonErrors,
    404: errorResponses[404],
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/v1/groups/{id}',
  operationId: 'deleteGroup',
  tags,
  summary: 'Delete a group (its devices stay)',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, 404: errorResponses[404] },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type SetDevicesRoute = typeof setDevices;
export type RemoveRoute = typeof remove;
