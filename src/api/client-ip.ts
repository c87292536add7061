// Where a request came from: the socket's peer address, or, only when the server is configured to
// sit behind a trusted proxy, the address that proxy appended last to X-Forwarded-For.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const last = forwarded?.[forwarded.length - 1];
    if (last) return last.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // No socket behind the request (app.request in tests, other runtimes).
    return null;
  }
}
