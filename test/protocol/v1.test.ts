// Wire protocol v1 against fixed JSON fixtures: every frame type decodes; malformed ones do not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAgentMessage, decodeGatewayMessage, encodeAgentMessage, encodeGatewayMessage } from '../../src/protocol';

const DIR = path.join(__dirname, 'fixtures/v1');
const files = readdirSync(DIR).sort();
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

const AGENT_TYPES = ['hello', 'heartbeat', 'started', 'result', 'output', 'file.get'];
const GATEWAY_TYPES = ['welcome', 'dispatch', 'file.chunk', 'cancel', 'result.ack', 'error'];
/** ok.<type>.json, and variants ok.<type>--<variant>.json. */
const okFiles = files.filter((f) => f.startsWith('ok.'));
const typeOf = (f: string): string => f.replace(/^ok\.|(--[\w-]+)?\.json$/g, '');

describe('protocol v1 fixtures', () => {
  it('has a valid fixture for every frame type', () => {
    expect([...new Set(okFiles.map(typeOf))].sort()).toEqual([...AGENT_TYPES, ...GATEWAY_TYPES].sort());
  });

  for (const file of okFiles) {
    const type = typeOf(file);
    const agent = AGENT_TYPES.includes(type);
    it(`decodes ${agent ? 'agent' : 'gateway'} frame ${file}`, () => {
      const [decode, other] = agent ? [decodeAgentMessage, decodeGatewayMessage] : [decodeGatewayMessage, decodeAgentMessage];
      expect(decode(read(file))).toMatchObject({ ok: true, message: { v: 1, type } });
      // Neither side accepts the other's frames.
      expect(other(read(file)).ok).toBe(false);
    });
  }

  it('decodes every kind of step with its defaults, and file results with size and hash', () => {
    const dispatch = decodeGatewayMessage(read('ok.dispatch--steps.json'));
    if (!dispatch.ok || dispatch.message.type !== 'dispatch') throw new Error('expected a dispatch');
    expect(dispatch.message.steps?.map((s) => s.type)).toEqual(['command', 'script', 'file']);
    expect(dispatch.message.stepMode).toBe('parallel');
    const result = decodeAgentMessage(read('ok.result--steps.json'));
    if (!result.ok || result.message.type !== 'result') throw new Error('expected a result');
    expect(result.message.steps?.[0]).toMatchObject({ bytes: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Fields a step without a file leaves out are null.
    expect(result.message.steps?.[1]).toMatchObject({ bytes: null, sha256: null });
  });

  for (const file of files.filter((f) => f.startsWith('bad.'))) {
    it(`refuses ${file} with a reason`, () => {
      const decode = file.startsWith('bad.gateway.') ? decodeGatewayMessage : decodeAgentMessage;
      const decoded = decode(read(file));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(0);
    });
  }

  it('names the version problem for a wrong version', () => {
    expect(decodeAgentMessage(read('bad.agent.wrong-version.json'))).toEqual({ ok: false, reason: 'unsupported protocol version 2' });
    expect(decodeAgentMessage(read('bad.agent.not-json.txt'))).toEqual({ ok: false, reason: 'not JSON' });
  });

  it('round-trips what the encoders produce', () => {
    const hb = decodeAgentMessage(encodeAgentMessage({ type: 'heartbeat' }));
    expect(hb).toMatchObject({ ok: true, message: { v: 1, type: 'heartbeat' } });
    const ack = decodeGatewayMessage(encodeGatewayMessage({ type: 'result.ack', executionId: '6f1c2b1e-8d4a-4c1e-9a57-3b2f7c9d0e11' }));
    expect(ack).toMatchObject({ ok: true, message: { type: 'result.ack' } });
  });
});
