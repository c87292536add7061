// File handlers: uploads stream straight into PostgreSQL under the size limit; reads and deletes see
// only the caller's own files unless the caller may see everyone's.
import { randomUUID } from 'node:crypto';
import { deleteFile, FileTooLargeError, getFile, listFiles, storeFile } from '../../../db/queries/files';
import type { AppRouteHandler } from '../../context';
import { DomainError, notFound } from '../../../domain/errors';
import { listScopeOf, scopeOf, seesAll } from '../../ownership';
import { toFileJson } from '../../schemas/file';
import { decodeTimeCursorOrFail } from '../cursor';
import type { GetRoute, ListRoute, RemoveRoute, UploadRoute } from './routes';
import { uploadBody } from './upload-body';

const tooLarge = (max: number): DomainError => new DomainError(413, 'payload_too_large', `the file must be at most ${max} bytes`, { maxBytes: max });

/** Reads and drops the rest of a refused upload, so the client sees the answer instead of a reset. */
async function drain(content: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    for await (const _ of content) {
      // discard
    }
  } catch {
    // the client went away: nothing left to answer
  }
}

export const upload: AppRouteHandler<UploadRoute> = async (c) => {
  const { db, config } = c.var.deps;
  const max = config.maxFileBytes;
  const declared = Number(c.req.header('content-length') ?? NaN);
  // Multipart framing adds a little; anything that cannot fit even without it is refused unread.
  if (Number.isFinite(declared) && declared > max + 64 * 1024) throw tooLarge(max);
  const source = await uploadBody(c.req.raw);
  const name = c.req.valid('query').name ?? source.name;
  if (name === undefined) {
    await drain(source.content);
    throw new DomainError(400, 'validation_error', 'name the file: ?name= (required for a raw body)', { field: 'query.name' });
  }
  try {
    const file = await storeFile(db.orm, { id: randomUUID(), owner: c.var.principal.id, name }, source.content, max);
    return c.json({ file: toFileJson(file, seesAll(c.var.principal)) }, 201);
  } catch (err) {
    if (!(err instanceof FileTooLargeError)) throw err;
    await drain(source.content);
    throw tooLarge(max);
  }
};

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const q = c.req.valid('query');
  const page = await listFiles(c.var.deps.db.orm, { owner: listScopeOf(c.var.principal, q.owner), limit: q.limit, after: decodeTimeCursorOrFail(q.cursor) });
  return c.json({ items: page.items.map((f) => toFileJson(f, seesAll(c.var.principal))), nextCursor: page.nextCursor }, 200);
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const file = await getFile(c.var.deps.db.orm, id, scopeOf(c.var.principal));
  if (!file) throw notFound('file', id);
  return c.json({ file: toFileJson(file, seesAll(c.var.principal)) }, 200);
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!(await deleteFile(c.var.deps.db.orm, id, scopeOf(c.var.principal)))) throw notFound('file', id);
  return c.body(null, 204);
};
