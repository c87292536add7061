// Serves `file.get` for one agent connection: only files of executions dispatched to that device
// (anything else is a policy violation that closes the connection), one stored chunk per frame.
import type { Database } from '../db/client';
import { mayServeFile } from '../db/queries/agent-results';
import { fileLayout, readChunk, type FileLayout } from '../db/queries/files';
import type { FileGetMessage, GatewayMessageBody } from '../protocol/v1/messages';

export type FileServeOutcome = { kind: 'sent' } | { kind: 'foreign'; reason: string } | { kind: 'bad'; reason: string };

export class FileServer {
  /** Execution/file pairs already checked for this connection, with the file's layout. */
  private readonly allowed = new Map<string, FileLayout | null>();

  constructor(
    private readonly db: Database,
    private readonly deviceId: () => string,
    private readonly send: (body: GatewayMessageBody) => boolean,
  ) {}

  async serve(m: FileGetMessage): Promise<FileServeOutcome> {
    const key = `${m.executionId}/${m.fileId}`;
    let layout = this.allowed.get(key);
    if (layout === undefined) {
      if (!(await mayServeFile(this.db, m.executionId, this.deviceId(), m.fileId))) {
        return { kind: 'foreign', reason: `file ${m.fileId} for execution ${m.executionId} that was not dispatched to this device` };
      }
      layout = (await fileLayout(this.db, m.fileId)) ?? null;
      this.allowed.set(key, layout);
    }
    const base = { type: 'file.chunk' as const, executionId: m.executionId, fileId: m.fileId, offset: m.offset };
    const missing = (): FileServeOutcome => {
      this.send({ ...base, data: '', eof: true, error: `file ${m.fileId} no longer exists` });
      return { kind: 'sent' };
    };
    if (layout === null) return missing();
    if (m.offset % layout.chunkSize !== 0 || m.offset > layout.size) return { kind: 'bad', reason: `offset ${m.offset} is not a chunk boundary of file ${m.fileId}` };
    const data = m.offset === layout.size ? Buffer.alloc(0) : await readChunk(this.db, m.fileId, m.offset / layout.chunkSize);
    if (data === undefined) return missing();
    const eof = m.offset + data.length >= layout.size;
    this.send({ ...base, data: data.toString('base64'), eof, ...(eof ? { size: layout.size, sha256: layout.sha256 } : {}) });
    return { kind: 'sent' };
  }
}
