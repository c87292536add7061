// Hostile requests for one operation of the OpenAPI document. Each request carries at least one fault
// that must make the API refuse it (bad body, query, header, path id, token, JSON, content type or
// method) in an otherwise well-formed request, often aimed at rows that exist, so nothing but the
// fault stands between the request and a write.
import fc from 'fast-check';
import { badString, invalidValue } from './invalid-values';
import type { JsonSchema, Operation, Parameter } from './openapi-operations';
import { badPathSegment, badQueryValue } from './query-values';
import { validValue } from './valid-values';

export interface HostileRequest {
  fault: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzContext {
  resolve: (s: JsonSchema) => JsonSchema;
  token: string;
  /** Ids of rows that exist (a device, a group, a batch): path ids are drawn from them too. */
  existingIds: string[];
  /** Methods the path does not declare. */
  otherMethods: string[];
}

interface Parts {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: unknown;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', 'json', 'text/json'];
const printable = (v: string): boolean => /^[\x20-\x7e]*$/.test(v);

function queryPairs(name: string, value: unknown): [string, string][] {
  return (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)]);
}

/** A request whose every part is well-formed; path ids exist or are random. */
function wellFormed(op: Operation, ctx: FuzzContext): fc.Arbitrary<Parts> {
  const byIn = (where: Parameter['in']): Parameter[] => op.params.filter((p) => p.in === where);
  const id = fc.oneof(fc.constantFrom(...ctx.existingIds), fc.uuid({ version: 4 }));
  const path = fc.record(Object.fromEntries(byIn('path').map((p) => [p.name, id])));
  const optional = (p: Parameter, arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => (p.required ? arb : fc.option(arb, { nil: undefined }));
  const query = fc.tuple(...byIn('query').map((p) => optional(p, validValue(p.schema, ctx.resolve)).map((v) => (v === undefined ? [] : queryPairs(p.name, v)))));
  const headers = fc.tuple(...byIn('header').map((p) => optional(p, validValue(p.schema, ctx.resolve).filter((v) => typeof v !== 'string' || printable(v))).map((v) => (v === undefined ? [] : [[p.name, String(v)]]))));
  const body = op.body === undefined ? fc.constant(undefined) : validValue(op.body, ctx.resolve);
  return fc.record({ path, query: query.map((q) => q.flat()), headers: headers.map((h) => Object.fromEntries(h.flat())), body });
}

function toRequest(op: Operation, ctx: FuzzContext, fault: string, parts: Parts, over: Partial<HostileRequest> = {}): HostileRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.path[name] ?? '');
  const search = new URLSearchParams(parts.query).toString();
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.token}`, ...parts.headers };
  const req: HostileRequest = { fault, method: op.method, url: search ? `${path}?${search}` : path, headers };
  if (parts.body !== undefined) {
    req.body = JSON.stringify(parts.body);
    headers['content-type'] = 'application/json';
  }
  return { ...req, ...over, headers: { ...headers, ...over.headers } };
}

/** Every kind of fault this operation can carry, each an arbitrary of requests. */
export function hostileRequests(op: Operation, ctx: FuzzContext): fc.Arbitrary<HostileRequest>[] {
  const base = wellFormed(op, ctx);
  const kinds: fc.Arbitrary<HostileRequest>[] = [];
  const badBody = op.body === undefined ? undefined : invalidValue(op.body, ctx.resolve);
  if (badBody !== undefined) kinds.push(fc.tuple(base, badBody).map(([p, body]) => toRequest(op, ctx, 'body', { ...p, body })));
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const bad = badQueryValue(p.name, p.schema, ctx.resolve);
    if (bad !== undefined) {
      kinds.push(fc.tuple(base, bad).map(([parts, v]) => toRequest(op, ctx, `query ${p.name}`, { ...parts, query: [...parts.query.filter(([k]) => k !== p.name), [p.name, v]] })));
    }
  }
  for (const p of op.params.filter((x) => x.in === 'header')) {
    const strings = badString(ctx.resolve(p.schema));
    const bad = strings.length === 0 ? undefined : fc.oneof(...strings).filter((v) => v.length > 0 && v.length < 8192 && printable(v));
    if (bad !== undefined) kinds.push(fc.tuple(base, bad).map(([parts, v]) => toRequest(op, ctx, `header ${p.name}`, { ...parts, headers: { ...parts.headers, [p.name]: v } })));
  }
  for (const p of op.params.filter((x) => x.in === 'path')) {
    const missing = fc.uuid({ version: 4 });
    const segment = fc.oneof(missing, badPathSegment(p.schema, ctx.resolve));
    kinds.push(fc.tuple(base, segment).map(([parts, v]) => toRequest(op, ctx, `path ${p.name}`, { ...parts, path: { ...parts.path, [p.name]: v } })));
  }
  if (!op.isPublic) {
    const badAuth = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', ctx.token, `Bearer ${ctx.token}x`, `Bearer ${ctx.token.slice(1)}`, `Bearer ${ctx.token} extra`),
      fc.string({ unit: 'binary-ascii', maxLength: 64 }).filter(printable).map((t) => `Bearer ${t}`).filter((h) => h.trim() !== `Bearer ${ctx.token}`),
    );
    kinds.push(
      fc.tuple(base, badAuth).map(([parts, auth]) => {
        const req = toRequest(op, ctx, 'authorization', parts);
        const { authorization: _, ...headers } = req.headers;
        return { ...req, headers: auth === undefined ? headers : { ...headers, authorization: auth } };
      }),
    );
  }
  if (WITH_BODY.has(op.method)) {
    const badJson = fc.oneof(
      base.map((p) => JSON.stringify(p.body ?? { a: 1 })).chain((t) => fc.integer({ min: 1, max: Math.max(1, t.length - 1) }).map((n) => t.slice(0, n))),
      fc.constantFrom('{', '{"a":', "{'a':1}", 'NaN', '[1,]', '{"a":1}}', 'undefined', '\u0000', '{"a":"\u0000\n"}x', '--', 'nul'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }),
    ).filter((t) => t.trim() !== '' && !parses(t));
    kinds.push(fc.tuple(base, badJson).map(([parts, text]) => toRequest(op, ctx, 'json', { ...parts, body: undefined }, { body: text, headers: { 'content-type': 'application/json' } })));
    kinds.push(
      fc.tuple(base, fc.constantFrom(...WRONG_TYPES)).map(([parts, type]) =>
        toRequest(op, ctx, 'content-type', { ...parts, body: undefined }, { body: JSON.stringify(parts.body ?? {}), headers: { 'content-type': type } }),
      ),
    );
  }
  if (ctx.otherMethods.length > 0) {
    kinds.push(fc.tuple(base, fc.constantFrom(...ctx.otherMethods)).map(([parts, method]) => ({ ...toRequest(op, ctx, 'method', parts), method, ...(WITH_BODY.has(method) ? {} : { body: undefined }) })));
  }
  return kinds;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
