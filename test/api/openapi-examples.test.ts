// Every example in the OpenAPI document is valid: each one matches the JSON Schema it sits in
// (request bodies, fields, parameters), and each request-body example, sent to the API as it is,
// is accepted (2xx), so the reference never shows a request the API would refuse.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Loose } from './harness';

let h: Harness;
let doc: Loose;
beforeAll(async () => {
  h = await startHarness();
  doc = (await h.json('GET', '/v1/openapi.json')).body;
});
afterAll(async () => {
  await h.close();
});

const pointer = (parts: string[]): string => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

interface Found {
  at: string;
  schemaAt: string;
  value: unknown;
}

/** Every `example` / `examples` in the document with the pointer of the schema it must match. */
function examplesIn(node: Loose, at: string[], out: Found[] = []): Found[] {
  if (node === null || typeof node !== 'object') return out;
  if ('schema' in node && node.examples && typeof node.examples === 'object' && !Array.isArray(node.examples)) {
    for (const [name, ex] of Object.entries<Loose>(node.examples)) out.push({ at: `${pointer(at)}/examples/${name}`, schemaAt: pointer([...at, 'schema']), value: ex.value });
  }
  if ('schema' in node && 'example' in node) out.push({ at: pointer(at), schemaAt: pointer([...at, 'schema']), value: node.example });
  if (!('schema' in node) && 'example' in node && ('type' in node || 'anyOf' in node || 'oneOf' in node || '$ref' in node)) {
    out.push({ at: pointer(at), schemaAt: pointer(at), value: node.example });
  }
  for (const [key, child] of Object.entries<Loose>(node)) {
    if (key === 'examples' || key === 'example') continue;
    examplesIn(child, [...at, key], out);
  }
  return out;
}

describe('examples in /v1/openapi.json', () => {
  it('each matches the schema it belongs to', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi' });
    const found = examplesIn(doc, ['']);
    expect(found.length).toBeGreaterThan(10);
    for (const example of found) {
      const validate = ajv.compile({ $ref: `openapi#${example.schemaAt.replace(/^\//, '/')}` });
      expect(validate(example.value), `${example.at}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('each request-body example is accepted by the API as it is', async () => {
    // The examples target devices tagged web; one must exist.
    expect((await h.json('POST', '/v1/devices', { name: 'example-target', tags: ['web'] })).status).toBe(201);
    const sent: string[] = [];
    for (const [path, operations] of Object.entries<Loose>(doc.paths)) {
      for (const [method, op] of Object.entries<Loose>(operations)) {
        const examples = op.requestBody?.content?.['application/json']?.examples ?? {};
        for (const [name, example] of Object.entries<Loose>(examples)) {
          // A path with parameters would need a row made for it: give such an example its setup here first.
          expect(path, `${op.operationId} example ${name}`).not.toContain('{');
          const res = await h.json(method.toUpperCase(), path, example.value);
          expect(res.status, `${op.operationId} example ${name}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${op.operationId} example ${name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
          sent.push(`${op.operationId}:${name}`);
        }
      }
    }
    expect(sent.sort()).toEqual(['createBatch:command', 'createBatch:steps', 'createBatch:waves', 'createDevice:web', 'createSchedule:nightly', 'createUser:operator']);
  });
});
