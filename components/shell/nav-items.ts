import type { Action } from "@/lib/auth/permissions";

// The staff app's navigation: each entry shows only to roles that may use it.
/** badge "unread": the live count of unread messages beside the link. */
export type NavItem = { href: string; key: string; permission: Action; badge?: "unread" };

export const STAFF_NAV: NavItem[] = [
  { href: "/dashboard", key: "dashboard", permission: "staff:access" },
  { href: "/items", key: "items", permission: "records:read" },
  { href: "/stocks", key: "stocks", permission: "records:read" },
  { href: "/flows", key: "flows", permission: "records:read" },
  { href: "/imports", key: "imports", permission: "records:write" },
  { href: "/inspections", key: "inspections", permission: "records:read", badge: "unread" },
  { href: "/customers", key: "customers", permission: "customers:read" },
  { href: "/engines", key: "engines", permission: "records:read" },
  { href: "/locations", key: "locations", permission: "records:read" },
  { href: "/admin/users", key: "users", permission: "users:manage" },
  { href: "/admin/audit", key: "audit", permission: "audit:read" },
  { href: "/admin/status", key: "status", permission: "audit:read" },
];

/** Shown to admins only while machine translation is on (OPENAI_API_KEY): glossary and usage. */
export const TRANSLATION_NAV: NavItem = { href: "/admin/translations", key: "translations", permission: "users:manage" };

export const PORTAL_NAV: NavItem[] = [
  { href: "/portal", key: "portal", permission: "portal:access" },
  { href: "/portal/inspections", key: "inspections", permission: "portal:access", badge: "unread" },
  { href: "/portal/shipments", key: "shipments", permission: "portal:access" },
  { href: "/portal/stock", key: "stock", permission: "portal:access" },
  { href: "/portal/documents", key: "documents", permission: "portal:access" },
];
