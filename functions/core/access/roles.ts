/**
 * Who may do what. `partner` authenticates with a Standard Webhooks signature; the staff roles come
 * from the identity provider's groups (Cognito user pool groups in AWS, the local issuer on the
 * embedded stack) and every staff principal also carries the offices its access is granted at.
 */
export const ROLES = ['partner', 'officer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['officer', 'analyst', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRole = (value: string): value is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(value);

/** An authenticated member of staff, as the handlers see them after the gateway verified the token. */
export interface StaffPrincipal {
  /** The identity provider's stable subject id. */
  subject: string;
  /** For people reading the audit log and lease holders; not an identifier. */
  username: string;
  roles: StaffRole[];
  /** Office hierarchy nodes access is granted at; each covers its subtree. */
  offices: string[];
}

/** The principal acting in one allowed role: what the audit log records. */
export interface Actor {
  subject: string;
  username: string;
  role: StaffRole;
}

/** The first of the principal's roles the route allows, in the route's order of preference; undefined if none. */
export const roleFor = (principal: StaffPrincipal, allowed: readonly StaffRole[]): StaffRole | undefined =>
  allowed.find((role) => principal.roles.includes(role));
