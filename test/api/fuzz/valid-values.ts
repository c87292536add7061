// Values a schema accepts, as fast-check arbitraries: the valid background a single mutation is put in,
// so each bad field is tried with everything else well-formed.
import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations';

type Resolve = (s: JsonSchema) => JsonSchema;

function validString(s: JsonSchema): fc.Arbitrary<string> {
  if (s.enum !== undefined) return fc.constantFrom(...(s.enum as string[]));
  if (s.format === 'uuid') return fc.uuid({ version: 4 });
  if (s.format === 'date-time') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, min + 40);
  const base = s.pattern === undefined ? fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) : fc.stringMatching(new RegExp(s.pattern));
  return base.filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
}

function validNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1e6);
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
}

function validObject(s: JsonSchema, resolve: Resolve): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const entries = Object.entries(props).map(([k, v]) => [k, validValue(v, resolve)] as const);
  if (entries.length === 0 && typeof s.additionalProperties === 'object') {
    return fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/), validValue(s.additionalProperties, resolve), { maxKeys: 3 });
  }
  return fc.record(Object.fromEntries(entries), { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
}

export function validValue(schema: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const options = s.oneOf ?? s.anyOf;
  if (options !== undefined) return fc.oneof(...options.map((o) => validValue(o, resolve)));
  if (s.enum !== undefined) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return validString(s);
    case 'integer':
      return validNumber(s, true);
    case 'number':
      return validNumber(s, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items ?? {}, resolve), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object':
    case undefined:
      return s.properties !== undefined || type === 'object' ? validObject(s, resolve) : fc.jsonValue({ maxDepth: 2 });
    default:
      return fc.constant(null);
  }
}
