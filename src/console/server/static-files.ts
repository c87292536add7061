// Serves the built console (dist/console) at `/`: index.html and its assets, read from disk, with a
// Content-Security-Policy that allows scripts, styles and connections from this origin only (no
// inline script, no eval, no framing), so text that slips into markup can never run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../api/context';

export const CONSOLE_DIST = path.resolve(__dirname, '../../../dist/console');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

function secure(c: Context): void {
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', 'no-cache');
}

async function send(c: Context, distDir: string, file: string): Promise<Response> {
  secure(c);
  try {
    const body = await readFile(path.join(distDir, file));
    return c.body(body, 200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  } catch {
    return c.text(file === 'index.html' ? 'The console is not built: run `npm run console:build`.\n' : 'not found\n', 404);
  }
}

export function consoleFiles(distDir: string = CONSOLE_DIST): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => send(c, distDir, 'index.html'));
  app.get('/assets/:name{[A-Za-z0-9._-]+}', (c) => send(c, distDir, path.join('assets', c.req.param('name'))));
  return app;
}
