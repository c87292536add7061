// Who may do what. Admins manage users and act on everything; operators create and act on their own
// devices, groups, batches and the rest; auditors read everything and change nothing.
export const ROLES = ['admin', 'operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that read every owner's rows, not only their own. */
export function seesAllOwners(role: Role): boolean {
  return role === 'admin' || role === 'auditor';
}

/** Roles that may change anything at all. */
export function mayWrite(role: Role): boolean {
  return role !== 'auditor';
}

/** The principal id of the bootstrap admin token from configuration; no user row stands behind it. */
export const BOOTSTRAP_ADMIN_ID = 'admin';
