// GET /v1/docs and its files: the reference page, its bootstrap and Swagger UI's bundle and styles,
// read once from the installed swagger-ui-dist package. Not part of the OpenAPI document.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context';
import { createRouter } from '../router';
import { BOOTSTRAP_PATH, PACKAGE_ASSETS, REFERENCE_CSP, REFERENCE_PATH, bootstrapScript, referencePage } from './page';

const packageDir = (): string => path.dirname(createRequire(__filename).resolve('swagger-ui-dist/package.json'));

/** The reference of the document served at `openapiPath`. */
export function referenceRouter(openapiPath: string): OpenAPIHono<AppEnv> {
  const router = createRouter();
  const cache = new Map<string, Promise<Buffer>>();
  const asset = (file: string): Promise<Buffer> => {
    let content = cache.get(file);
    if (!content) {
      content = readFile(path.join(packageDir(), file));
      cache.set(file, content);
    }
    return content;
  };
  router.get(REFERENCE_PATH, (c) => {
    c.header('Content-Security-Policy', REFERENCE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(referencePage());
  });
  router.get(BOOTSTRAP_PATH, (c) => c.body(bootstrapScript(openapiPath), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  for (const [route, { file, type }] of Object.entries(PACKAGE_ASSETS)) {
    router.get(route, async (c) =>
      c.body(new Uint8Array(await asset(file)), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }),
    );
  }
  return router;
}
