// The JSON types a schema admits, and a value of each type, for wrong-type mutations.
import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations';

export const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** Every type the schema allows; undefined when it allows anything. */
export function admittedTypes(s: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): Set<JsonType> | undefined {
  const options = s.anyOf ?? s.oneOf;
  if (options !== undefined) {
    const all = new Set<JsonType>();
    for (const o of options) {
      const t = admittedTypes(resolve(o), resolve);
      if (t === undefined) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (s.type === undefined) {
    if (s.properties !== undefined) return new Set(['object']);
    if (s.enum !== undefined) return new Set(s.enum.map((v) => (v === null ? 'null' : (typeof v as JsonType))));
    return undefined;
  }
  const types = new Set((Array.isArray(s.type) ? s.type : [s.type]) as JsonType[]);
  // An integer is a number, and a number may be integral: admitting either forbids both as "wrong".
  if (types.has('number')) types.add('integer');
  if (types.has('integer')) types.add('number');
  return types;
}

const OF_TYPE: Record<JsonType, fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.constantFrom('', '0', 'true', 'null', '[]', '{}'), fc.string()),
  number: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e308, -1e308, 0.5)),
  integer: fc.oneof(fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0)),
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
  array: fc.oneof(fc.constant([]), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })),
};

/** A value of a JSON type the schema does not admit, or undefined when it admits every type. */
export function wrongType(s: JsonSchema, resolve: (s: JsonSchema) => JsonSchema): fc.Arbitrary<unknown> | undefined {
  const admitted = admittedTypes(s, resolve);
  if (admitted === undefined) return undefined;
  const wrong = JSON_TYPES.filter((t) => !admitted.has(t));
  return wrong.length === 0 ? undefined : fc.oneof(...wrong.map((t) => OF_TYPE[t]));
}
