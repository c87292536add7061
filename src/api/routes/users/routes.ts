// /v1/users: admins create users (answer: the user and their first token, shown once); everyone
// lists and reads the users they may see; tokens are minted and listed per user.
import { createRoute, z } from '@hono/zod-openapi';
import { bearer, commonErrors, errorResponses, idParam, jsonBody, jsonContent, pageOf, pageQuery } from '../../schemas/common';
import { USER_EXAMPLES } from '../../schemas/examples';
import { issuedTokenSchema, meSchema, roleSchema, tokenNameSchema, tokenSchema, userNameSchema, userSchema } from '../../schemas/user';

const tags = ['users'];

export const create = createRoute({
  method: 'post',
  path: '/v1/users',
  operationId: 'createUser',
  tags,
  summary: 'Create a user with a role (admins only); the answer carries their first API token, shown only this once',
  security: bearer,
  request: {
    body: jsonBody(
      z.object({ name: userNameSchema, role: roleSchema, tokenName: tokenNameSchema.default('default').openapi({ description: 'label of their first API token' }) }).strict().openapi('CreateUser'),
      'The new user',
      USER_EXAMPLES,
    ),
  },
  responses: {
    201: jsonContent(z.object({ user: userSchema }).extend(issuedTokenSchema.shape), 'Created'),
    ...commonErrors,
    409: errorResponses[409],
  },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/users',
  operationId: 'listUsers',
  tags,
  summary: 'List users, oldest first (operators see only themselves)',
  security: bearer,
  request: { query: z.object(pageQuery) },
  responses: { 200: jsonContent(pageOf(userSchema), 'A page of users'), ...commonErrors },
});

export const update = createRoute({
  method: 'patch',
  path: '/v1/users/{id}',
  operationId: 'updateUser',
  tags,
  summary: 'Change a user\'s role or disable them (admins only); a disabled user\'s tokens are refused from the next request',
  security: bearer,
  request: {
    params: idParam,
    body: jsonBody(
      z
        .object({ role: roleSchema.optional(), disabled: z.boolean().optional() })
        .strict()
        .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role or disabled')
        .openapi('UpdateUser'),
      'Fields to change',
    ),
  },
  responses: { 200: jsonContent(z.object({ user: userSchema }), 'The updated user'), ...commonErrors, 404: errorResponses[404] },
});

export const me = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags,
  summary: 'Who the bearer token belongs to',
  security: bearer,
  responses: {
    200: jsonContent(meSchema, 'The caller'),
    ...commonErrors,
  },
});

export const createToken = createRoute({
  method: 'post',
  path: '/v1/users/{id}/tokens',
  operationId: 'createUserToken',
  tags,
  summary: 'Mint another API token for a user (admins: anyone; operators: themselves); shown only this once',
  security: bearer,
  request: {
    params: idParam,
    body: { ...jsonBody(z.object({ name: tokenNameSchema.default('default') }).strict().openapi('CreateToken'), 'Token label'), required: false },
  },
  responses: { 201: jsonContent(issuedTokenSchema, 'Minted'), ...commonErrors, 404: errorResponses[404] },
});

export const listTokens = createRoute({
  method: 'get',
  path: '/v1/users/{id}/tokens',
  operationId: 'listUserTokens',
  tags,
  summary: "List a user's tokens (never the tokens themselves)",
  security: bearer,
  request: { params: idParam, query: z.object(pageQuery) },
  responses: { 200: jsonContent(pageOf(tokenSchema), 'A page of tokens'), ...commonErrors, 404: errorResponses[404] },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type MeRoute = typeof me;
export type UpdateRoute = typeof update;
export type CreateTokenRoute = typeof createToken;
export type ListTokensRoute = typeof listTokens;
