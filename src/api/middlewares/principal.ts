// Who a token is, from its sha256: the bootstrap admin when it matches the configured admin token's
// hash, else the user of a live API token (not revoked, user enabled). Bearer tokens and console
// sessions (which keep only the token's hash) are judged by this one rule.
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client';
import { findLiveToken, touchToken } from '../../db/queries/users';
import { BOOTSTRAP_ADMIN_ID } from '../../domain/roles';
import { hashToken } from '../../security/secrets';
import type { Principal } from '../context';

/** The hash the bootstrap admin token is recognised by; undefined when none is configured. */
export function adminTokenHash(adminToken: string | undefined): string | undefined {
  return adminToken === undefined ? undefined : hashToken(adminToken);
}

export const BOOTSTRAP_ADMIN: Principal = { id: BOOTSTRAP_ADMIN_ID, name: 'admin', role: 'admin', tokenId: null };

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function principalOfTokenHash(db: Database, tokenHash: string, adminHash: string | undefined): Promise<Principal | undefined> {
  if (adminHash !== undefined && sameHash(tokenHash, adminHash)) return BOOTSTRAP_ADMIN;
  const found = await findLiveToken(db, tokenHash);
  if (!found || !sameHash(tokenHash, found.tokenHash)) return undefined;
  await touchToken(db, found.tokenId);
  return { id: found.userId, name: found.name, role: found.role, tokenId: found.tokenId };
}
