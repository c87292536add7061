// Users and API tokens as the API shows them. A token's secret appears only in the answer that
// created it; listings show its id, name and use.
import { z } from '@hono/zod-openapi';
import type { TokenView, UserView } from '../../db/queries/users';
import { ROLES } from '../../domain/roles';
import { iso, timestamp } from './common';

export const roleSchema = z.enum(ROLES).openapi({ description: 'admin: everything; operator: own resources; auditor: reads all, writes nothing' });

export const userNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits and . _ @ - only, starting with a letter or digit')
  .openapi({ example: 'alice' });

export const tokenNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .openapi({ example: 'laptop' });

export const userSchema = z
  .object({ id: z.uuid(), name: z.string(), role: roleSchema, disabled: z.boolean(), createdAt: timestamp })
  .openapi('User');

export const tokenSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .openapi('ApiToken');

export const issuedTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'the bearer token, shown only this once' }),
    tokenId: z.uuid(),
  })
  .openapi('IssuedToken');

/** GET /v1/me: who the bearer token belongs to. */
export const meSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema, tokenId: z.uuid().nullable() });

export type UserJson = z.infer<typeof userSchema>;
export type TokenJson = z.infer<typeof tokenSchema>;
export type IssuedTokenJson = z.infer<typeof issuedTokenSchema>;
export type MeJson = z.infer<typeof meSchema>;

export function toUserJson(u: UserView): UserJson {
  return { id: u.id, name: u.name, role: u.role, disabled: u.disabled, createdAt: iso(u.createdAt) };
}

export function toTokenJson(t: TokenView): TokenJson {
  return { id: t.id, userId: t.userId, name: t.name, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) };
}
