// Wire protocol v1 against fixed JSON fixtures: every frame type decodes; malformed ones do not.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAgentMessage, decodeGatewayMessage, encodeAgentMessage, encodeGatewayMessage } from '../../src/protocol';

const DIR = path.join(__dirname, 'fixtures/v1');
const files = readdirSync(DIR).sort();
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

const AGENT_TYPES = ['hello', 'heartbeat', 'started', 'result', 'output'];
const GATEWAY_TYPES = ['welcome', 'dispatch', 'cancel', 'result.ack', 'error'];

describe('protocol v1 fixtures', () => {
  it('has a valid fixture for every frame type', () => {
    const ok = files.filter((f) => f.startsWith('ok.')).map((f) => f.replace(/^ok\.|\.json$/g, ''));
    expect(ok.sort()).toEqual([...AGENT_TYPES, ...GATEWAY_TYPES].sort());
  });

  for (const type of AGENT_TYPES) {
    it(`decodes agent frame ${type}`, () => {
      const decoded = decodeAgentMessage(read(`ok.${type}.json`));
      expect(decoded).toMatchObject({ ok: true, message: { v: 1, type } });
      // The gateway side never accepts an agent frame.
      expect(decodeGatewayMessage(read(`ok.${type}.json`)).ok).toBe(false);
    });
  }

  for (const type of GATEWAY_TYPES) {
    it(`decodes gateway frame ${type}`, () => {
      const decoded = decodeGatewayMessage(read(`ok.${type}.json`));
      expect(decoded).toMatchObject({ ok: true, message: { v: 1, type } });
      expect(decodeAgentMessage(read(`ok.${type}.json`)).ok).toBe(false);
    });
  }

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
