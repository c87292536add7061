// Values a schema rejects: wrong types, strings too short, too long (up to far past the body limit) or
// against the pattern or format, numbers out of range, fractional or enormous, arrays too long, and
// objects missing a required field, carrying an unknown one, or holding a bad value deeper down.
import fc from 'fast-check';
import { wrongType } from './json-types';
import type { JsonSchema } from './openapi-operations';
import { validValue } from './valid-values';

type Resolve = (s: JsonSchema) => JsonSchema;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Looser than any ISO-8601 date-time check: what fails it fails them all. */
const LOOSE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
/** Hostile text: control characters, bidi overrides, lone surrogates, NUL, SQL and shell metacharacters. */
const NASTY = ['\u0000', '\u0007', '\n', '\r\n', '\t', ' ', ',', '\u202e', '\ud800', '\ufeff', '💣', "' OR 1=1 --", '$(reboot)', '../../etc/passwd', '%00', '\\'];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 6 })).map((p) => p.join('')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
);
/** Strings from just past a limit to well past the request body limit. */
const huge = (over: number): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('x', 'é', '💣', '\u0000'), fc.integer({ min: over + 1, max: Math.max(over + 1, 400_000) })).map(([c, n]) => c.repeat(n));

/** Strings the schema rejects (none when any string fits it). */
export function badString(s: JsonSchema): fc.Arbitrary<string>[] {
  const arbs: fc.Arbitrary<string>[] = [];
  if ((s.minLength ?? 0) > 0) arbs.push(fc.string({ maxLength: s.minLength! - 1 }));
  if (s.maxLength !== undefined) arbs.push(huge(s.maxLength), fc.string({ minLength: s.maxLength + 1, maxLength: s.maxLength + 3 }));
  // Lengths in UTF-16 code units and patterns without the u flag, as zod checks them.
  const fits = (v: string): boolean => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern);
    arbs.push(nastyString.filter((v) => fits(v) && !re.test(v)));
  }
  if (s.enum !== undefined) arbs.push(nastyString.filter((v) => !s.enum!.includes(v)), fc.constantFrom(...(s.enum as string[])).map((v) => `${v.toUpperCase()} `));
  if (s.format === 'uuid') {
    arbs.push(fc.oneof(nastyString, fc.uuid().map((u) => `${u}0`), fc.constant('00000000-0000-0000-0000-00000000000g')).filter((v) => !UUID.test(v)));
  }
  if (s.format === 'date-time') arbs.push(fc.oneof(nastyString, fc.constantFrom('yesterday', '2026-13-01', '1700000000', '2026-01-01 00:00')).filter((v) => !LOOSE_DATE_TIME.test(v)));
  return arbs;
}

/** Numbers the schema rejects (none for an unbounded number). */
export function badNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number>[] {
  const arbs: fc.Arbitrary<number>[] = [];
  if (integer) arbs.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v)));
  const min = s.minimum ?? s.exclusiveMinimum;
  const max = s.maximum ?? s.exclusiveMaximum;
  if (min !== undefined) arbs.push(fc.oneof(fc.constant(-1e308), fc.integer({ min: -1_000_000, max: -1 }).map((d) => Math.floor(min) + d)).filter((v) => v < min));
  if (max !== undefined) arbs.push(fc.oneof(fc.constant(1e308), fc.constant(2 ** 63), fc.integer({ min: 1, max: 1_000_000 }).map((d) => Math.floor(max) + d)).filter((v) => v > max));
  return arbs;
}

function badArray(s: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown>[] {
  const arbs: fc.Arbitrary<unknown>[] = [];
  const item = validValue(s.items ?? {}, resolve);
  if (s.maxItems !== undefined) arbs.push(item.map((v) => Array.from({ length: s.maxItems! + 1 }, () => v)));
  if ((s.minItems ?? 0) > 0) arbs.push(fc.array(item, { maxLength: s.minItems! - 1 }));
  const badItem = invalidValue(s.items ?? {}, resolve);
  if (badItem !== undefined) arbs.push(fc.tuple(fc.array(item, { maxLength: 2 }), badItem).map(([ok, bad]) => [...ok, bad]));
  return arbs;
}

function badObject(s: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown>[] {
  const props = s.properties ?? {};
  const arbs: fc.Arbitrary<unknown>[] = [];
  const base = validValue(s, resolve) as fc.Arbitrary<Record<string, unknown>>;
  for (const key of s.required ?? []) {
    arbs.push(base.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))));
  }
  if (s.additionalProperties === false) {
    const extra = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'owner', 'id', 'admin'), fc.string({ minLength: 1, maxLength: 20 })).filter((k) => !(k in props));
    arbs.push(fc.tuple(base, extra, fc.jsonValue({ maxDepth: 2 })).map(([o, k, v]) => Object.fromEntries([...Object.entries(o), [k, v]])));
  }
  for (const [key, sub] of Object.entries(props)) {
    const bad = invalidValue(sub, resolve);
    if (bad !== undefined) arbs.push(fc.tuple(base, bad).map(([o, v]) => Object.fromEntries([...Object.entries(o).filter(([k]) => k !== key), [key, v]])));
  }
  if (typeof s.additionalProperties === 'object') {
    const bad = invalidValue(s.additionalProperties, resolve);
    if (bad !== undefined) arbs.push(fc.tuple(base, bad).map(([o, v]) => ({ ...o, SOME_KEY: v })));
  }
  return arbs;
}

/** An arbitrary of values the schema rejects, or undefined when nothing is certainly rejected. */
export function invalidValue(schema: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown> | undefined {
  const s = resolve(schema);
  const arbs: fc.Arbitrary<unknown>[] = [];
  const wrong = wrongType(s, resolve);
  if (wrong !== undefined) arbs.push(wrong);
  const options = s.oneOf ?? s.anyOf;
  if (options?.length === 1) {
    const inner = invalidValue(options[0]!, resolve);
    if (inner !== undefined) arbs.push(inner);
  }
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  // Constraints only bind a value of their own type, so a type union (e.g. string or null) is tried by type.
  if (types.includes('string') && !types.includes('null')) arbs.push(...badString(s));
  if (types.includes('string') && types.includes('null')) arbs.push(...badString(s).map((a) => a.filter((v) => typeof v === 'string')));
  if (types.includes('integer')) arbs.push(...badNumber(s, true));
  else if (types.includes('number')) arbs.push(...badNumber(s, false));
  if (types.includes('array')) arbs.push(...badArray(s, resolve));
  if (types.includes('object') || (types.length === 0 && s.properties !== undefined)) arbs.push(...badObject(s, resolve));
  return arbs.length === 0 ? undefined : fc.oneof(...arbs);
}
