// Hostile agent connections as fast-check arbitraries: what each sends (before or after a valid hello)
// and the close codes the gateway may answer with. Frames are raw text or bytes, as a rogue agent
// would write them; nothing here goes through the protocol encoder's checks.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CLOSE_CODES } from '../../src/protocol/constants';
import { FACTS } from './fixtures';

export interface HostileConnection {
  kind: string;
  /** Send a valid hello for the connection's own device first. */
  hello: boolean;
  frames: (string | Buffer)[];
  /** Close codes that are right for it; 'open' when leaving the connection up is right too. */
  expect: (number | 'open')[];
}

export interface Targets {
  /** An execution of another device (the well-behaved agent's). */
  foreignExecutionId: string;
  maxFrameBytes: number;
  /** Frames per second a connection may send before it is closed. */
  maxMessagesPerSec: number;
}

const KNOWN = ['hello', 'heartbeat', 'started', 'result'];
const frame = (body: Record<string, unknown>): string => JSON.stringify({ v: 1, id: 'f-1', ...body });
const now = (): string => new Date().toISOString();
const resultBody = (executionId: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'result', executionId, status: 'succeeded', exitCode: 0, stdout: 'forged', stderr: '', truncated: false, startedAt: now(), completedAt: now(), error: null, ...over,
});
const parsesAsObject = (t: string): boolean => {
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
};

/** Text that is not a frame: not JSON, JSON that is not an object, or bytes. */
const garbage: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((t) => !parsesAsObject(t)),
  fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
);
const wrongVersion = fc
  .tuple(fc.oneof(fc.integer().filter((v) => v !== 1), fc.constantFrom('1', null, true, 1.5, [1], { v: 1 })), fc.constantFrom(...KNOWN))
  .map(([v, type]) => JSON.stringify({ v, type, id: 'f-1' }));
const unknownType = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('welcome', 'dispatch', 'result.ack', 'HELLO', 'hello ', '__proto__')).filter((t) => !KNOWN.includes(t)).map((type) => frame({ type }));
/** Known types with fields that break the schema: wrong types, extra fields, bad ids and times. */
const badFields = fc.oneof(
  fc.record({ executionId: fc.string({ maxLength: 40 }) }).map((r) => frame({ type: 'started', startedAt: now(), ...r })),
  fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '', 'NaN').map((startedAt) => frame({ type: 'started', executionId: randomUUID(), startedAt })),
  fc.record({ status: fc.constantFrom('exploded', 'queued', 'running', '', 7) }).map((r) => frame(resultBody(randomUUID(), r))),
  fc.record({ exitCode: fc.constantFrom(1.5, '0', true, 2 ** 64) }).map((r) => frame(resultBody(randomUUID(), r))),
  fc.record({ error: fc.constant('e'.repeat(5000)) }).map((r) => frame(resultBody(randomUUID(), r))),
  fc.tuple(fc.constantFrom(...KNOWN), fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['v', 'id', 'type'].includes(k))).map(([type, k]) => frame({ type, [k]: 1 })),
  fc.constantFrom(JSON.stringify({ v: 1, type: 'heartbeat' }), JSON.stringify({ v: 1, type: 'heartbeat', id: '' }), JSON.stringify({ v: 1, type: 'heartbeat', id: 'x'.repeat(65) })),
);
/** Timestamps the schema takes that are odd instants: Feb 30, 24:00, year 0, far offsets. */
const oddTime = fc.constantFrom('2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z', '9999-12-31T23:59:59+14:00', '1970-01-01T00:00:00-23:59');

export function hostileConnections(t: Targets): fc.Arbitrary<HostileConnection> {
  const c = (kind: string, hello: boolean, frames: fc.Arbitrary<(string | Buffer)[]>, expect: (number | 'open')[]): fc.Arbitrary<HostileConnection> =>
    frames.map((f) => ({ kind, hello, frames: f, expect }));
  const badHello = fc.oneof(
    fc.constant(frame({ type: 'hello', deviceId: randomUUID(), token: 'dev_not-a-real-token-000', facts: FACTS, running: [] })),
    fc.string({ minLength: 16, maxLength: 64 }).map((token) => frame({ type: 'hello', deviceId: randomUUID(), token, facts: FACTS, running: [] })),
  );
  const flood = fc
    .tuple(fc.integer({ min: Math.max(2_000, t.maxMessagesPerSec * 10), max: Math.max(5_000, t.maxMessagesPerSec * 40) }), fc.boolean())
    .map(([n, started]) => Array.from({ length: n }, () => (started ? frame({ type: 'started', executionId: randomUUID(), startedAt: now() }) : frame({ type: 'heartbeat' }))));
  return fc.oneof(
    c('garbage before hello', false, garbage.map((g) => [g]), [CLOSE_CODES.badFrame]),
    c('garbage after hello', true, garbage.map((g) => [g]), [CLOSE_CODES.badFrame]),
    c('wrong version before hello', false, wrongVersion.map((f) => [f]), [CLOSE_CODES.unsupportedVersion]),
    c('wrong version after hello', true, wrongVersion.map((f) => [f]), [CLOSE_CODES.unsupportedVersion]),
    c('unknown type', true, unknownType.map((f) => [f]), [CLOSE_CODES.badFrame]),
    c('bad fields', true, badFields.map((f) => [f]), [CLOSE_CODES.badFrame]),
    c('frame before hello', false, fc.constantFrom(frame({ type: 'heartbeat' }), frame(resultBody(t.foreignExecutionId)), frame({ type: 'started', executionId: t.foreignExecutionId, startedAt: now() })).map((f) => [f]), [CLOSE_CODES.badFrame]),
    c('hello twice', true, fc.constant([frame({ type: 'hello', deviceId: randomUUID(), token: 'x'.repeat(20), facts: FACTS, running: [] })]), [CLOSE_CODES.badFrame]),
    c('bad credentials', false, badHello.map((f) => [f]), [CLOSE_CODES.unauthorized]),
    c('foreign result', true, fc.constantFrom(t.foreignExecutionId, randomUUID()).map((id) => [frame(resultBody(id))]), [CLOSE_CODES.policyViolation]),
    c('odd timestamps', true, oddTime.map((at) => [frame({ type: 'started', executionId: randomUUID(), startedAt: at }), frame(resultBody(randomUUID(), { completedAt: at }))]), [CLOSE_CODES.badFrame, CLOSE_CODES.policyViolation]),
    c('oversized frame', true, fc.integer({ min: 1, max: 1024 }).map((extra) => ['x'.repeat(t.maxFrameBytes + extra)]), [1009]),
    c('flood', true, flood, [CLOSE_CODES.rateLimited]),
  );
}
