// Schemas every route shares: the error shape, ids in paths, pagination, timestamps.
import { z } from '@hono/zod-openapi';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../db/queries/pagination';
import type { Example } from './examples';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_error' }),
      message: z.string(),
      details: z.unknown().optional().openapi({ description: 'what went wrong where, e.g. each bad field as {path, message}' }),
    }),
  })
  .openapi('Error');

const json = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

/** Error answers common to every authenticated route, for the OpenAPI document. */
export const commonErrors = {
  400: json('Invalid input (validation_error, invalid_json, invalid_cursor, ...)'),
  401: json('Missing, wrong or revoked bearer token'),
  403: json('The caller\'s role may not do this (forbidden; auditors never write)'),
  413: json('Body larger than the server accepts'),
  415: json('Body is not application/json'),
  429: json('Too many requests for this token (rate_limited); see Retry-After'),
  500: json('Unexpected server error'),
} as const;

export const errorResponses = {
  404: json('No such resource'),
  409: json('Conflicts with the current state'),
} as const;

export const idParam = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '7b0f7a4e-0c4f-4f7e-9d55-7c1f7a1d2b3c' }),
});

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ param: { name: 'limit', in: 'query' }, description: `1..${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}` }),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'nextCursor of the previous page' }),
};

export function pageOf<T extends z.ZodType>(item: T): z.ZodObject<{ items: z.ZodArray<T>; nextCursor: z.ZodNullable<z.ZodString> }> {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const timestamp = z.iso.datetime({ offset: true });

/** The owner of a row, shown only to callers who see every owner's rows (admins and auditors). */
export const ownerSchema = z
  .string()
  .optional()
  .openapi({ description: "the user id that owns it (`admin` for the bootstrap token); shown to admins and auditors only, operators see only their own rows" });

/** `{owner}` when the caller sees every owner's rows, else nothing. */
export function shownOwner(owner: string, show: boolean): { owner?: string } {
  return show ? { owner } : {};
}

/** ?owner= on lists: admins and auditors narrow a list to one owner's rows. */
export const ownerQuery = {
  owner: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'owner', in: 'query' }, description: "admins and auditors: only this owner's rows (a user id, or `admin`); operators may name only themselves" }),
};

export function iso(d: Date): string;
export function iso(d: Date | null): string | null;
export function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

/** Bearer-token security requirement for authenticated routes. */
export const bearer = [{ bearer: [] }];

interface JsonContent<T> {
  description: string;
  content: { 'application/json': { schema: T; examples?: Record<string, Example> } };
}

/** A required JSON request body; `examples` are valid requests shown in the reference. */
export const jsonBody = <T extends z.ZodType>(
  schema: T,
  description: string,
  examples?: Record<string, Example>,
): JsonContent<T> & { required: true } => ({
  required: true,
  description,
  content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string): JsonContent<T> => ({
  description,
  content: { 'application/json': { schema } },
});
