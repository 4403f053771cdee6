// The permission matrix: which role may do what. The route wrapper and the pages ask here;
// the database functions and RLS policies enforce the same rules again.

export const ROLES = ["admin", "manager", "korean_team", "chinese_staff", "customer"] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ["admin", "manager", "korean_team", "chinese_staff"];

export const ACTIONS = [
  "profile:read", // one's own profile
  "profile:update", // one's own display name and language
  "staff:access", // the staff web app
  "portal:access", // the customer portal
  "users:read",
  "users:manage", // create users, change roles, deactivate
  "audit:read",
  "customers:read",
  "customers:write",
  "customers:delete",
  "records:read", // business records: inventory, flows, inspections
  "records:write",
  "records:delete",
  "flows:approve",
  "flows:commit",
  "own-records:read", // a customer's own company records
  "own-records:write",
] as const;
export type Action = (typeof ACTIONS)[number];

const everyone: Action[] = ["profile:read", "profile:update"];
const staffRead: Action[] = ["staff:access", "users:read", "customers:read", "records:read"];
const staffWrite: Action[] = ["customers:write", "records:write"];
const staffDelete: Action[] = ["customers:delete", "records:delete"];

export const MATRIX: Record<Role, ReadonlySet<Action>> = {
  admin: new Set([...everyone, ...staffRead, ...staffWrite, ...staffDelete, "flows:approve", "flows:commit", "users:manage", "audit:read"]),
  manager: new Set([...everyone, ...staffRead, ...staffWrite, ...staffDelete, "flows:approve", "flows:commit"]),
  korean_team: new Set([...everyone, ...staffRead, ...staffWrite, ...staffDelete]),
  chinese_staff: new Set([...everyone, ...staffRead, ...staffWrite]),
  customer: new Set([...everyone, "portal:access", "own-records:read", "own-records:write"]),
};

export function can(role: Role | null | undefined, action: Action): boolean {
  return role ? MATRIX[role].has(action) : false;
}

/** Whether the role may do at least one of the actions (an empty list allows no one). */
export function canAny(role: Role | null | undefined, actions: Action | readonly Action[]): boolean {
  return (typeof actions === "string" ? [actions] : actions).some((action) => can(role, action));
}

// Endpoints that serve staff and customers alike (inspections, messages, attachments): staff
// through the records permissions, customers through their own-records ones; the database then
// limits a customer to their company's rows.
export const READ_RECORDS = ["records:read", "own-records:read"] as const satisfies readonly Action[];
export const WRITE_RECORDS = ["records:write", "own-records:write"] as const satisfies readonly Action[];

export function isStaff(role: Role | null | undefined): boolean {
  return role ? STAFF_ROLES.includes(role) : false;
}

/** Where a signed-in user lands. */
export function landingPath(role: Role): string {
  return isStaff(role) ? "/dashboard" : "/portal";
}
