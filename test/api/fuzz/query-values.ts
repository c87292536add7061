// Bad query-string and path values. Everything in a URL is text, so "wrong type" means text the
// parameter cannot be read as; cursors get their own forgeries, since any short text fits their schema.
import fc from 'fast-check';
import { badNumber, badString, invalidValue } from './invalid-values';
import type { JsonSchema } from './openapi-operations';

type Resolve = (s: JsonSchema) => JsonSchema;

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** Timestamps in the cursor's exact format that name no real instant (month 13, Feb 30, 24:00, year 0). */
const impossibleTime = fc
  .tuple(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9999 })), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }))
  .filter(([y, mo, d, h, mi, s]) => {
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    t.setUTCHours(h, mi, s);
    return y === 0 || t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || t.getUTCHours() !== h || t.getUTCMinutes() !== mi || t.getUTCSeconds() !== s;
  })
  .map(([y, mo, d, h, mi, s]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.000000Z`);

export const badCursor: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map(b64),
  fc.oneof(fc.integer({ max: -1 }), fc.constantFrom(2 ** 31, 1e308, 0.5, -0.5), fc.string()).map((n) => b64(['s', n])),
  fc.tuple(impossibleTime, fc.uuid()).map(([t, id]) => b64(['t', t, id])),
  fc.tuple(fc.date({ noInvalidDate: true }), fc.string()).map(([d, id]) => b64(['t', d.toISOString().replace('Z', '000Z'), id])),
  fc.constantFrom('%', '=', 'A'.repeat(513), b64(['t']), b64(['s']), b64('null'), b64('[]')),
);

/** Text a query parameter of this schema must refuse. */
export function badQueryValue(name: string, schema: JsonSchema, resolve: Resolve): fc.Arbitrary<string> | undefined {
  const s = resolve(schema);
  const options = s.anyOf ?? s.oneOf;
  const single = options?.map(resolve).find((o) => o.type === 'string') ?? s;
  const arbs: fc.Arbitrary<string>[] = [];
  if (name === 'cursor') arbs.push(badCursor);
  if (single.type === 'integer' || single.type === 'number') {
    arbs.push(...badNumber(single, single.type === 'integer').map((a) => a.map(String)));
    arbs.push(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((v) => v.trim() !== '' && Number.isNaN(Number(v))));
  }
  if (single.type === 'string') {
    arbs.push(...badString(single));
  }
  return arbs.length === 0 ? undefined : fc.oneof(...arbs);
}

/** A path segment that cannot name a resource: text against the schema, URL-encoded. */
export function badPathSegment(schema: JsonSchema, resolve: Resolve): fc.Arbitrary<string> {
  const bad = invalidValue(schema, resolve) ?? fc.string({ unit: 'binary' });
  return bad
    .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    .filter((v) => v.length > 0 && v.length < 4096 && encodable(v))
    .map(encodeURIComponent);
}

/** encodeURIComponent throws on lone surrogates, which no client can put in a URL. */
function encodable(v: string): boolean {
  try {
    encodeURIComponent(v);
    return true;
  } catch {
    return false;
  }
}
