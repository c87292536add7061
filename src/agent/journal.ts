// The agent's durable memory of executions, in <dataDir>/journal.jsonl. A `started` entry is fsynced
// before a command is spawned, so after a crash the agent knows what it began and never runs it again;
// results stay until the gateway acknowledges them, so none is lost across reconnects or restarts.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AGENT_JOURNAL_SIZE } from '../protocol/constants';
import type { CommandResult } from './runner';

type Entry =
  | { t: 'started'; executionId: string; at: string }
  | { t: 'result'; executionId: string; result: CommandResult }
  | { t: 'acked'; executionId: string };

export type JournalState =
  | { kind: 'running' }
  | { kind: 'finished'; result: CommandResult; acked: boolean };

/** Rewrite the journal once this much was appended since the last rewrite. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** The result with its outputs (and its steps') dropped, for old acknowledged entries. */
function withoutOutput(r: CommandResult): CommandResult {
  return { ...r, stdout: '', stderr: '', ...(r.steps ? { steps: r.steps.map((s) => ({ ...s, stdout: '', stderr: '' })) } : {}) };
}

export const RESTARTED_ERROR = 'agent restarted while the command was running';

export interface JournalOptions {
  maxEntries?: number;
  /** Acknowledged results beyond this many (newest first) are kept without their output. */
  keepOutputFor?: number;
}

export class Journal {
  private readonly file: string;
  private readonly states = new Map<string, JournalState>();
  private readonly maxEntries: number;
  private readonly keepOutputFor: number;
  private fd: number;
  private appended = 0;
  private appendedBytes = 0;
  /** Acknowledged executions whose output is still held, oldest first. */
  private readonly withOutput: string[] = [];

  constructor(dataDir: string, opts: JournalOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'journal.jsonl');
    this.maxEntries = opts.maxEntries ?? AGENT_JOURNAL_SIZE;
    this.keepOutputFor = opts.keepOutputFor ?? 100;
    this.replay();
    const interrupted = [...this.states].filter(([, s]) => s.kind === 'running').map(([id]) => id);
    for (const id of interrupted) {
      const at = new Date().toISOString();
      this.states.set(id, {
        kind: 'finished',
        acked: false,
        result: { status: 'failed', exitCode: null, stdout: '', stderr: '', truncated: false, startedAt: null, completedAt: at, error: RESTARTED_ERROR },
      });
    }
    this.fd = this.compact();
  }

  get(executionId: string): JournalState | undefined {
    return this.states.get(executionId);
  }

  /** Written and fsynced before the command is spawned. */
  started(executionId: string): void {
    this.states.set(executionId, { kind: 'running' });
    this.append({ t: 'started', executionId, at: new Date().toISOString() }, true);
  }

  finished(executionId: string, result: CommandResult): void {
    this.states.set(executionId, { kind: 'finished', result, acked: false });
    this.append({ t: 'result', executionId, result }, true);
  }

  acked(executionId: string): void {
    const s = this.states.get(executionId);
    if (!s || s.kind !== 'finished' || s.acked) return;
    s.acked = true;
    // Losing an ack only causes a harmless re-send: no fsync needed.
    this.append({ t: 'acked', executionId }, false);
    // The gateway has stored it; keep the output only for the newest few, so memory stays bounded.
    this.withOutput.push(executionId);
    while (this.withOutput.length > this.keepOutputFor) {
      const old = this.states.get(this.withOutput.shift() ?? '');
      if (old?.kind === 'finished') old.result = withoutOutput(old.result);
    }
  }

  /** Finished results the gateway has not acknowledged yet, oldest first. */
  unacked(): Array<{ executionId: string; result: CommandResult }> {
    const out: Array<{ executionId: string; result: CommandResult }> = [];
    for (const [executionId, s] of this.states) {
      if (s.kind === 'finished' && !s.acked) out.push({ executionId, result: s.result });
    }
    return out;
  }

  running(): string[] {
    return [...this.states].filter(([, s]) => s.kind === 'running').map(([id]) => id);
  }

  close(): void {
    closeSync(this.fd);
  }

  private replay(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue; // a torn last line from a crash mid-write
      }
      // Re-inserting moves the id to the end: the map's order is oldest to newest activity.
      if (e.t === 'started') {
        if (!this.states.has(e.executionId)) this.states.set(e.executionId, { kind: 'running' });
      } else if (e.t === 'result') {
        this.states.delete(e.executionId);
        this.states.set(e.executionId, { kind: 'finished', result: e.result, acked: false });
      } else if (e.t === 'acked') {
        const s = this.states.get(e.executionId);
        if (s?.kind === 'finished') s.acked = true;
      }
    }
  }

  private append(entry: Entry, sync: boolean): void {
    const line = `${JSON.stringify(entry)}\n`;
    writeSync(this.fd, line);
    if (sync) fsyncSync(this.fd);
    this.appended += 1;
    this.appendedBytes += line.length;
    if (this.appended >= this.maxEntries * 2 || this.appendedBytes > COMPACT_AFTER_BYTES) {
      closeSync(this.fd);
      this.fd = this.compact();
    }
  }

  /** Rewrites the file with the newest entries only (write, fsync, rename); answers an append fd. */
  private compact(): number {
    const ids = [...this.states.keys()];
    // Never forget a running or unacknowledged execution; drop the oldest acknowledged ones first.
    let excess = ids.length - this.maxEntries;
    for (const id of ids) {
      if (excess <= 0) break;
      const s = this.states.get(id);
      if (s?.kind === 'finished' && s.acked) {
        this.states.delete(id);
        excess -= 1;
      }
    }
    const lines: string[] = [];
    const kept = [...this.states];
    kept.forEach(([executionId, s], i) => {
      if (s.kind === 'running') {
        lines.push(JSON.stringify({ t: 'started', executionId, at: new Date().toISOString() } satisfies Entry));
        return;
      }
      const old = s.acked && kept.length - i > this.keepOutputFor;
      const result = old ? withoutOutput(s.result) : s.result;
      if (old) s.result = result;
      lines.push(JSON.stringify({ t: 'result', executionId, result } satisfies Entry));
      if (s.acked) lines.push(JSON.stringify({ t: 'acked', executionId } satisfies Entry));
    });
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.appended = 0;
    this.appendedBytes = 0;
    return openSync(this.file, 'a');
  }
}
