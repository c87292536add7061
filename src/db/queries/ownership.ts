// Row ownership in queries. A scope is the owner whose rows a caller may touch, or undefined for a
// caller who sees every owner's rows (admins and auditors; the API decides, see src/api/ownership.ts).
import { eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export type OwnerScope = string | undefined;

/** The condition limiting rows to the scope's owner; undefined (no condition) for every owner. */
export function ownedBy(ownerColumn: AnyPgColumn, scope: OwnerScope): SQL | undefined {
  return scope === undefined ? undefined : eq(ownerColumn, scope);
}
