// Per-connection frame budget: a token bucket refilled at the configured rate with room for a burst of
// twice that (a reconnecting agent re-sends its unacknowledged results at once). A connection that
// spends it is flooding, and is closed before its frames reach the database.
import { TokenBucket } from 'limiter';

export interface FrameRate {
  /** Takes one frame's token; false once the connection exceeds its budget. */
  allow(): boolean;
}

export function frameRate(perSecond: number): FrameRate {
  const bucket = new TokenBucket({ bucketSize: perSecond * 2, tokensPerInterval: perSecond, interval: 'second' });
  bucket.content = bucket.bucketSize;
  return { allow: () => bucket.tryRemoveTokens(1) };
}
