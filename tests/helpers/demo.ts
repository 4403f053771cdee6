// The demo data's fixed ids (supabase/seed.sql).
export const DEMO_PASSWORD = "duly-demo-pass";

export const USERS = {
  admin: { id: "a0000000-0000-4000-8000-000000000001", email: "admin@duly.test", role: "admin" },
  manager: { id: "a0000000-0000-4000-8000-000000000002", email: "manager@duly.test", role: "manager" },
  korean: { id: "a0000000-0000-4000-8000-000000000003", email: "korean@duly.test", role: "korean_team" },
  chinese: { id: "a0000000-0000-4000-8000-000000000004", email: "chinese@duly.test", role: "chinese_staff" },
  acme: { id: "a0000000-0000-4000-8000-000000000005", email: "customer@acme.test", role: "customer" },
  bluesky: { id: "a0000000-0000-4000-8000-000000000006", email: "customer@bluesky.test", role: "customer" },
} as const;

export const CUSTOMERS = {
  acme: "c0000000-0000-4000-8000-000000000001",
  bluesky: "c0000000-0000-4000-8000-000000000002",
} as const;

export type DemoUser = keyof typeof USERS;
