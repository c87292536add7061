// Uploaded files: streamed into file_chunks (fixed-size chunks) with their sha256 computed on the way,
// all in one transaction so a failed or oversized upload leaves nothing behind. Read back chunk by chunk.
import { createHash } from 'node:crypto';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { fileChunks, files, type FileRow } from '../schema';
import { timeKeyset, type Page, type TimeKey } from './pagination';

/** Size of each stored chunk, and of each piece sent to an agent. */
export const FILE_CHUNK_BYTES = 256 * 1024;

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file must be at most ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

export type FileView = Omit<FileRow, 'chunkSize'>;

const viewColumns = { id: files.id, owner: files.owner, name: files.name, size: files.size, sha256: files.sha256, createdAt: files.createdAt };

/** Collects incoming bytes into full chunks, so only one chunk is ever held in memory. */
class Chunker {
  private parts: Buffer[] = [];
  private held = 0;

  constructor(private readonly size: number) {}

  /** Full chunks now ready, in order. */
  push(data: Uint8Array): Buffer[] {
    this.parts.push(Buffer.from(data));
    this.held += data.length;
    const ready: Buffer[] = [];
    while (this.held >= this.size) {
      const all = Buffer.concat(this.parts);
      ready.push(all.subarray(0, this.size));
      this.parts = [all.subarray(this.size)];
      this.held = all.length - this.size;
    }
    return ready;
  }

  rest(): Buffer | undefined {
    return this.held > 0 ? Buffer.concat(this.parts) : undefined;
  }
}

/** Stores the stream as a file; throws FileTooLargeError (nothing stored) past maxBytes. */
export async function storeFile(
  db: Database,
  meta: { id: string; owner: string; name: string },
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<FileView> {
  return db.transaction(async (tx) => {
    await tx.insert(files).values({ ...meta, size: 0, sha256: '', chunkSize: FILE_CHUNK_BYTES });
    const hash = createHash('sha256');
    const chunker = new Chunker(FILE_CHUNK_BYTES);
    let size = 0;
    let idx = 0;
    const save = async (data: Buffer): Promise<void> => {
      await tx.insert(fileChunks).values({ fileId: meta.id, idx, data });
      idx += 1;
    };
    // Read by hand: an early throw must not destroy the caller's stream (it drains the rest to answer).
    const pieces = body[Symbol.asyncIterator]();
    for (let next = await pieces.next(); next.done !== true; next = await pieces.next()) {
      const piece = next.value;
      size += piece.length;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
      hash.update(piece);
      for (const chunk of chunker.push(piece)) await save(chunk);
    }
    const rest = chunker.rest();
    if (rest) await save(rest);
    const [row] = await tx.update(files).set({ size, sha256: hash.digest('hex') }).where(eq(files.id, meta.id)).returning(viewColumns);
    if (!row) throw new Error(`file ${meta.id} vanished during upload`);
    return row;
  });
}

const visible = (id: string, owner: string | undefined): SQL | undefined => and(eq(files.id, id), owner === undefined ? undefined : eq(files.owner, owner));

/** The file, if it exists and (with an owner) belongs to that owner. */
export async function getFile(db: Database, id: string, owner?: string): Promise<FileView | undefined> {
  const [row] = await db.select(viewColumns).from(files).where(visible(id, owner));
  return row;
}

export async function deleteFile(db: Database, id: string, owner?: string): Promise<boolean> {
  const rows = await db.delete(files).where(visible(id, owner)).returning({ id: files.id });
  return rows.length > 0;
}

/** Newest first; only the owner's files when an owner is given. */
export async function listFiles(db: Database, filter: { owner?: string; after?: TimeKey; limit: number }): Promise<Page<FileView>> {
  const where: SQL[] = [];
  if (filter.owner !== undefined) where.push(eq(files.owner, filter.owner));
  const keyset = timeKeyset(files, 'desc', filter);
  const rows = await db
    .select({ row: viewColumns, createdKey: keyset.createdKey })
    .from(files)
    .where(and(...where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(keyset.fetch);
  return keyset.page(rows, (r) => r.row.id, (r) => r.row);
}

/** Of these ids, the ones that do not exist (or, with an owner, are not that owner's). */
export async function missingFileIds(db: Database, ids: readonly string[], owner?: string): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const found = await db
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, wanted), owner === undefined ? undefined : eq(files.owner, owner)));
  const have = new Set(found.map((f) => f.id));
  return wanted.filter((id) => !have.has(id));
}

export interface FileLayout {
  size: number;
  sha256: string;
  chunkSize: number;
}

export async function fileLayout(db: Database, id: string): Promise<FileLayout | undefined> {
  const [row] = await db.select({ size: files.size, sha256: files.sha256, chunkSize: files.chunkSize }).from(files).where(eq(files.id, id));
  return row;
}

export async function readChunk(db: Database, fileId: string, idx: number): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ data: fileChunks.data })
    .from(fileChunks)
    .where(and(eq(fileChunks.fileId, fileId), eq(fileChunks.idx, idx)));
  return row?.data;
}
