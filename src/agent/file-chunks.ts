// The agent's side of file transfer: `file.get` requests waiting for their `file.chunk`, re-sent after
// a reconnect, each failing after a while without an answer.
import type { AgentMessageBody, FileChunkMessage } from '../protocol/v1/messages';
import type { Chunk } from './file-push';

/** How long one chunk may take to arrive, across reconnects. */
export const CHUNK_TIMEOUT_MS = 60_000;

interface Pending {
  request: Extract<AgentMessageBody, { type: 'file.get' }>;
  resolve(chunk: Chunk): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const keyOf = (executionId: string, fileId: string, offset: number): string => `${executionId}/${fileId}/${offset}`;

export class FileChunks {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly send: (body: AgentMessageBody) => void,
    private readonly timeoutMs = CHUNK_TIMEOUT_MS,
  ) {}

  fetch(executionId: string, fileId: string, offset: number): Promise<Chunk> {
    const key = keyOf(executionId, fileId, offset);
    const request = { type: 'file.get' as const, executionId, fileId, offset };
    return new Promise<Chunk>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`no chunk at offset ${offset} within ${this.timeoutMs / 1000}s`));
      }, this.timeoutMs);
      this.pending.set(key, { request, resolve, reject, timer });
      this.send(request);
    });
  }

  answer(m: FileChunkMessage): void {
    const key = keyOf(m.executionId, m.fileId, m.offset);
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve({ data: Buffer.from(m.data, 'base64'), eof: m.eof, size: m.size, sha256: m.sha256 });
  }

  /** After a reconnect: ask again for everything still missing. */
  resend(): void {
    for (const p of this.pending.values()) this.send(p.request);
  }
}
