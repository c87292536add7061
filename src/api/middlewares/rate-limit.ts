// Requests per token per second: a fixed one-second window per token, keyed by the token's hash
// (the token itself is never kept). Over the limit: 429 rate_limited with Retry-After.
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { hashToken } from '../../security/secrets';
import type { AppEnv } from '../context';
import { DomainError } from '../../domain/errors';
import { bearerToken } from './bearer';

/** Runs after authentication, so only valid tokens are counted. 0 turns the limit off. */
export function limitRequestRate(perSecond: number): MiddlewareHandler<AppEnv> {
  const limiter = perSecond === 0 ? undefined : new RateLimiterMemory({ points: perSecond, duration: 1 });
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (limiter === undefined || token === undefined) return next();
    try {
      await limiter.consume(hashToken(token));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfterSec = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new DomainError(429, 'rate_limited', `at most ${perSecond} requests per second per token`, undefined, retryAfterSec);
    }
    await next();
  });
}
