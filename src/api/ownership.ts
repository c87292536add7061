// Ownership for handlers: every row a caller creates records `owner = principal.id`; operators read
// and act on their own rows only (someone else's row answers 404 like a missing one); admins and
// auditors see every owner's rows; auditors change nothing (see forbidReadOnlyWrites).
import { seesAllOwners } from '../domain/roles';
import type { OwnerScope } from '../db/queries/ownership';
import type { Principal } from './context';
import { DomainError } from '../domain/errors';

export function seesAll(principal: Principal): boolean {
  return seesAllOwners(principal.role);
}

/** The owner whose rows the principal may read or act on; undefined for all of them. */
export function scopeOf(principal: Principal): OwnerScope {
  return seesAll(principal) ? undefined : principal.id;
}

/**
 * The owner a list shows: `?owner=` narrows the list of a caller who sees every owner's rows; an
 * operator sees only their own and may name only themselves (403 otherwise).
 */
export function listScopeOf(principal: Principal, owner: string | undefined): OwnerScope {
  if (seesAll(principal)) return owner;
  if (owner !== undefined && owner !== principal.id) throw new DomainError(403, 'forbidden', 'operators list only their own rows');
  return principal.id;
}

/** Throws 403 forbidden unless the principal is an admin. */
export function assertAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw new DomainError(403, 'forbidden', 'only admins may do this');
}
