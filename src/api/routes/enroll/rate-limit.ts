// Enrollment requests per client address per minute (FLOTILLA_ENROLL_RATE_PER_MIN): the route needs no
// bearer token, so the address is what is counted. Over the limit: 429 rate_limited with Retry-After
// (the agent waits that long and tries again).
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { clientIp } from '../../client-ip';
import type { AppEnv } from '../../context';
import { errorResponse } from '../../errors';

export function limitEnrollRate(): MiddlewareHandler<AppEnv> {
  let limiter: { perMin: number; limiter: RateLimiterMemory } | undefined;
  return createMiddleware<AppEnv>(async (c, next) => {
    const { enrollRatePerMin, trustProxy } = c.var.deps.config;
    if (enrollRatePerMin === 0) return next();
    if (limiter?.perMin !== enrollRatePerMin) limiter = { perMin: enrollRatePerMin, limiter: new RateLimiterMemory({ points: enrollRatePerMin, duration: 60 }) };
    try {
      await limiter.limiter.consume(clientIp(c, trustProxy) ?? 'unknown');
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      c.header('Retry-After', String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))));
      return errorResponse(c, 429, 'rate_limited', `at most ${enrollRatePerMin} enrollment requests per minute from one address`);
    }
    await next();
  });
}
