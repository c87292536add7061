// Ownership for handlers: every row a caller creates records `owner = principal.id`; operators read
// and act on their own rows only (someone else's row answers 404 like a missing one); admins and
// auditors see every owner's rows; auditors change nothing (see forbidReadOnlyWrites).
import { mayWrite, seesAllOwners } from '../domain/roles';
import type { OwnerScope } from '../db/queries/ownership';
import type { Principal } from './context';
import { DomainError } from '../domain/errors';

export type { OwnerScope } from '../db/queries/ownership';
export { ownedBy } from '../db/queries/ownership';

export function seesAll(principal: Principal): boolean {
  return seesAllOwners(principal.role);
}

/** The owner whose rows the principal may read or act on; undefined for all of them. */
export function scopeOf(principal: Principal): OwnerScope {
  return seesAll(principal) ? undefined : principal.id;
}

/** Whether the principal may see a row with this owner. */
export function canSee(principal: Principal, owner: string): boolean {
  return seesAll(principal) || owner === principal.id;
}

export const forbidden = (message: string): DomainError => new DomainError(403, 'forbidden', message);

/** Throws 403 forbidden for a principal whose role may not write (auditors). */
export function assertCanWrite(principal: Principal): void {
  if (!mayWrite(principal.role)) throw forbidden(`the ${principal.role} role may not change anything`);
}

/** Throws 403 forbidden unless the principal is an admin. */
export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw forbidden('only admins may do this');
}
