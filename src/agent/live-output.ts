// Live output of one running command: what it prints is coalesced and handed to `send` at most every
// interval (sooner once a chunk is full), per stream, until the same cap as the stored output. Text is
// decoded incrementally, so a character split across pipe reads is never mangled.
import { StringDecoder } from 'node:string_decoder';
import { LIVE_OUTPUT_CHUNK_BYTES, LIVE_OUTPUT_INTERVAL_MS, OUTPUT_CAP_BYTES } from '../protocol/constants';
import type { OutputStream } from '../domain/batch-events';

export interface LiveOutputOptions {
  intervalMs?: number;
  chunkBytes?: number;
  capBytes?: number;
}

interface StreamState {
  decoder: StringDecoder;
  pending: Buffer[];
  pendingBytes: number;
  taken: number;
}

export class LiveOutput {
  private readonly streams = new Map<OutputStream, StreamState>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly chunkBytes: number;
  private readonly capBytes: number;

  constructor(
    private readonly send: (stream: OutputStream, text: string) => void,
    opts: LiveOutputOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? LIVE_OUTPUT_INTERVAL_MS;
    this.chunkBytes = opts.chunkBytes ?? LIVE_OUTPUT_CHUNK_BYTES;
    this.capBytes = opts.capBytes ?? OUTPUT_CAP_BYTES;
  }

  push(stream: OutputStream, chunk: Buffer): void {
    let s = this.streams.get(stream);
    if (!s) {
      s = { decoder: new StringDecoder('utf8'), pending: [], pendingBytes: 0, taken: 0 };
      this.streams.set(stream, s);
    }
    const room = this.capBytes - s.taken;
    if (room <= 0) return;
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    s.pending.push(Buffer.from(piece));
    s.pendingBytes += piece.length;
    s.taken += piece.length;
    if (s.pendingBytes >= this.chunkBytes) this.flushStream(stream, s);
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends whatever is pending now (call before the result, so every chunk precedes it). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [stream, s] of this.streams) this.flushStream(stream, s);
  }

  private flushStream(stream: OutputStream, s: StreamState): void {
    const bytes = Buffer.concat(s.pending, s.pendingBytes);
    s.pending = [];
    s.pendingBytes = 0;
    for (let at = 0; at < bytes.length; at += this.chunkBytes) {
      const text = s.decoder.write(bytes.subarray(at, at + this.chunkBytes)).replaceAll('\u0000', '');
      if (text !== '') this.send(stream, text);
    }
  }
}
