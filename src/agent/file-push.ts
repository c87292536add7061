// A file step: pulls the file from the gateway chunk by chunk (one in memory at a time), writes it to
// a temp file beside the target while hashing, checks size and sha256 against the upload's, then
// fsync, mode, rename (atomic) and fsync of the folder. Any failure removes the temp file.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileAction } from '../protocol/v1/action';

export interface Chunk {
  data: Buffer;
  eof: boolean;
  /** On the last chunk: what the upload recorded. */
  size?: number;
  sha256?: string;
}

export type FetchChunk = (fileId: string, offset: number) => Promise<Chunk>;

export interface PushOutcome {
  ok: boolean;
  error: string | null;
  bytes: number | null;
  sha256: string | null;
}

class PushError extends Error {}

async function ensureFolder(dir: string, createDirs: boolean | undefined): Promise<void> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (stat?.isDirectory()) return;
  if (stat) throw new PushError(`${dir} exists and is not a directory`);
  if (!createDirs) throw new PushError(`directory ${dir} does not exist (set createDirs to create it)`);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
}

async function fsyncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function pushFile(step: FileAction, fetchChunk: FetchChunk, signal: AbortSignal): Promise<PushOutcome> {
  const target = path.resolve(step.path);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.flotilla-${randomBytes(6).toString('hex')}.tmp`);
  let written = false;
  try {
    await ensureFolder(dir, step.createDirs);
    const handle = await fs.open(tmp, 'wx', 0o600);
    written = true;
    const hash = createHash('sha256');
    let offset = 0;
    let last: Chunk;
    try {
      do {
        if (signal.aborted) throw new PushError(String(signal.reason ?? 'cancelled'));
        last = await fetchChunk(step.fileId, offset).catch((err: unknown) => {
          throw new PushError(`file transfer failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        await handle.write(last.data);
        hash.update(last.data);
        offset += last.data.length;
      } while (!last.eof);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const sha256 = hash.digest('hex');
    if (last.size !== undefined && last.size !== offset) throw new PushError(`size mismatch: received ${offset} bytes, the upload has ${last.size}`);
    if (last.sha256 !== sha256) throw new PushError(`sha256 mismatch: received ${sha256}, the upload has ${last.sha256 ?? 'none'}`);
    if (step.mode !== undefined) await fs.chmod(tmp, parseInt(step.mode, 8));
    else await fs.chmod(tmp, 0o644);
    await fs.rename(tmp, target);
    written = false;
    await fsyncFolder(dir);
    return { ok: true, error: null, bytes: offset, sha256 };
  } catch (err) {
    const message = err instanceof PushError ? err.message : `could not write ${target}: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, error: message, bytes: null, sha256: null };
  } finally {
    if (written) await fs.rm(tmp, { force: true });
  }
}
