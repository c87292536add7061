// Notices every gateway hears on one PostgreSQL NOTIFY channel: a device's session moved to another
// gateway, or its credentials were revoked (token rotated, device deleted) and any session must end.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle } from './client';

/** NOTIFY channel on which gateways and the API announce changes to a device's session. */
export const DEVICE_SESSION_CHANNEL = 'flotilla_device_session';

export const REVOKE_REASONS = ['token_rotated', 'device_deleted'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

const noticeSchema = z.union([
  z.object({ kind: z.literal('revoked'), deviceId: z.string(), reason: z.enum(REVOKE_REASONS) }),
  // Gateways from before `kind` existed send moves without it.
  z.object({ kind: z.literal('moved').default('moved'), deviceId: z.string(), sessionId: z.string(), gatewayId: z.string() }),
]);

export type SessionNotice = z.infer<typeof noticeSchema>;

export function parseSessionNotice(payload: string): SessionNotice | undefined {
  try {
    const parsed = noticeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function publishSessionNotice(db: DatabaseHandle, notice: SessionNotice): Promise<void> {
  await db.notify(DEVICE_SESSION_CHANNEL, JSON.stringify(notice));
}

/** The NOTIFY as a statement, to run inside the transaction that revokes: the notice goes out exactly when it commits. */
export function sessionNoticeStatement(notice: SessionNotice): SQL {
  return sql`select pg_notify(${DEVICE_SESSION_CHANNEL}, ${JSON.stringify(notice)})`;
}
