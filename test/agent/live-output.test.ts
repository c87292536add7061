// Live output coalescing on the agent: pieces are batched per interval, full chunks go at once, the
// cap holds, and a character split across two pipe reads arrives whole.
import { describe, expect, it } from 'vitest';
import { LiveOutput } from '../../src/agent/live-output';

function collector(): { sent: Array<[string, string]>; live: (opts?: ConstructorParameters<typeof LiveOutput>[1]) => LiveOutput } {
  const sent: Array<[string, string]> = [];
  return { sent, live: (opts) => new LiveOutput((stream, text) => sent.push([stream, text]), opts) };
}

describe('LiveOutput', () => {
  it('coalesces pieces printed within one interval into one chunk per stream', async () => {
    const { sent, live } = collector();
    const l = live({ intervalMs: 50 });
    l.push('stdout', Buffer.from('a\n'));
    l.push('stdout', Buffer.from('b\n'));
    l.push('stderr', Buffer.from('e\n'));
    expect(sent).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(sent).toEqual([
      ['stdout', 'a\nb\n'],
      ['stderr', 'e\n'],
    ]);
  });

  it('sends a full chunk at once and stops at the cap', () => {
    const { sent, live } = collector();
    const l = live({ intervalMs: 10_000, chunkBytes: 4, capBytes: 10 });
    l.push('stdout', Buffer.from('abcdef'));
    expect(sent).toEqual([
      ['stdout', 'abcd'],
      ['stdout', 'ef'],
    ]);
    l.push('stdout', Buffer.from('ghijkl'));
    l.flush();
    expect(sent.map(([, t]) => t).join('')).toBe('abcdefghij');
  });

  it('never splits a multi-byte character across chunks', () => {
    const { sent, live } = collector();
    const l = live({ intervalMs: 10_000 });
    const euro = Buffer.from('€');
    l.push('stdout', euro.subarray(0, 1));
    l.flush();
    l.push('stdout', euro.subarray(1));
    l.flush();
    expect(sent).toEqual([['stdout', '€']]);
  });
});
