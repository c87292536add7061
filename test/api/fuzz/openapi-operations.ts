// The operations of the app's own OpenAPI document, read at test time, so routes added later are
// fuzzed without touching the fuzz tests. Only the JSON Schema subset zod-openapi emits is modelled.
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The OpenAPI template, e.g. /v1/devices/{id}. */
  path: string;
  params: Parameter[];
  body: JsonSchema | undefined;
  /** No bearer token needed (the document declares no security for it). */
  isPublic: boolean;
}

interface RawOperation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema>; parameters?: Record<string, Parameter> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The schema a $ref names, followed through nested refs (refs into components only). */
export function resolver(doc: OpenApiDocument): (s: JsonSchema) => JsonSchema {
  const resolve = (s: JsonSchema): JsonSchema => {
    if (s.$ref === undefined) return s;
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (target === undefined) throw new Error(`unresolved ${s.$ref}`);
    return resolve(target);
  };
  return resolve;
}

export function listOperations(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (raw === undefined) continue;
      const params = (raw.parameters ?? []).map((p) => {
        if ('$ref' in p) {
          const found = doc.components?.parameters?.[p.$ref.replace('#/components/parameters/', '')];
          if (found === undefined) throw new Error(`unresolved ${p.$ref}`);
          return found;
        }
        return p;
      });
      ops.push({
        method: method.toUpperCase(),
        path,
        params: params.map((p) => ({ ...p, required: p.required === true })),
        body: raw.requestBody?.content?.['application/json']?.schema,
        isPublic: raw.security === undefined || raw.security.length === 0,
      });
    }
  }
  return ops;
}

/** The methods a path template does not declare (each must answer 404 or 405). */
export function undeclaredMethods(doc: OpenApiDocument, path: string): string[] {
  const item = doc.paths[path] ?? {};
  return METHODS.filter((m) => item[m] === undefined).map((m) => m.toUpperCase());
}
