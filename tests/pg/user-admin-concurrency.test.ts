import { beforeAll, describe, expect, it } from "vitest";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { DEMO_PASSWORD, USERS } from "../helpers/demo";
import { openPgTestDatabase } from "../helpers/pg";
import { client, request } from "../helpers/router";

// User administration races that PGlite (one connection) cannot have, on real Postgres through
// the route handlers: two admins demoting each other at once, two creates of the same email.

const opened = openPgTestDatabase();
const admin = client("admin");
const PASSWORD = "race-pass-1234";

const login = async (email: string, password: string) =>
  (await request("POST", "/api/v1/auth/login", { body: { email, password } })).body.data.session.access_token as string;

beforeAll(async () => {
  const db = await opened;
  // A pool wide enough that the requests below really run side by side.
  setTransport(new PostgresTransport(createPool(db.url, { max: 10 })));
});

describe("user administration under concurrency (real Postgres)", () => {
  it("two admins stepping down at the same time leave one admin", async () => {
    const second = await admin.post("/api/v1/users", { email: "second-admin@race.test", display_name: "Second", role: "admin", password: PASSWORD, must_change_password: false });
    expect(second.status).toBe(201);
    const token = await login("second-admin@race.test", PASSWORD);
    const results = await Promise.all([
      admin.patch(`/api/v1/users/${USERS.admin.id}`, { role: "manager" }),
      request("PATCH", `/api/v1/users/${second.body.data.id}`, { token, body: { role: "manager" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe("last_admin");
    const admins = await (await opened).query<{ n: number }>("select count(*)::int as n from public.profiles where role = 'admin' and active");
    expect(admins[0].n).toBe(1);
  });

  it("two creates of the same email at the same time make one user", async () => {
    const [{ email }] = await (await opened).query<{ email: string }>("select email from public.profiles where role = 'admin' and active");
    const token = await login(email, email === USERS.admin.email ? DEMO_PASSWORD : PASSWORD);
    const body = { email: "same@race.test", display_name: "Same", role: "korean_team", password: PASSWORD };
    const results = await Promise.all([1, 2].map(() => request("POST", "/api/v1/users", { token, body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const n = await (await opened).query<{ n: number }>("select count(*)::int as n from auth.users where email = 'same@race.test'");
    expect(n[0].n).toBe(1);
  });
});
