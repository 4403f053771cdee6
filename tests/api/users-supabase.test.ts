import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth";
import { accountAdmin, accountError, embeddedAccounts, resetAccountAdmin } from "@/lib/auth/user-admin";
import { createUser, updateUser } from "@/lib/data/users";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { as } from "../helpers/as";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase, type RecordedRequest } from "../helpers/fake-supabase";
import { openTestDatabase } from "../helpers/pglite";

installNextWebSocket();

// User administration in Supabase mode: accounts go through the Auth admin API (a loopback fake
// GoTrue that writes to this file's embedded database as the real one writes to Supabase's, so
// the profile and audit triggers run), and deactivation bans the account there too.

const SERVICE_KEY = "service-role-key-for-tests";
const saved = { ...process.env };
let fake: FakeSupabase;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

/** The ids the fake GoTrue gives the next accounts it creates. */
const nextIds: string[] = [];

const adminActor = { id: USERS.admin.id, role: "admin", caller: as("admin") } as unknown as Actor;

function goTrueError(status: number, code: string, msg: string) {
  return { status, body: { code: status, error_code: code, msg } };
}

async function createInDatabase(req: RecordedRequest) {
  const body = req.json as { email: string; password?: string; email_confirm?: boolean; app_metadata?: object; user_metadata?: object };
  const id = nextIds.shift() ?? randomUUID();
  try {
    await db.query(
      `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
       values ($1, 'authenticated', 'authenticated', lower($2), case when $3::text is null then null else extensions.crypt($3, extensions.gen_salt('bf', 4)) end,
               case when $4::boolean then now() end, '{"provider": "email", "providers": ["email"]}'::jsonb || $5::jsonb, $6::jsonb)`,
      [id, body.email, body.password ?? null, body.email_confirm ?? false, JSON.stringify(body.app_metadata ?? {}), JSON.stringify(body.user_metadata ?? {})],
    );
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return goTrueError(422, "email_exists", "A user with this email address has already been registered");
    return goTrueError(500, "unexpected_failure", "Database error creating new user");
  }
  return { body: { id, aud: "authenticated", role: "authenticated", email: body.email, app_metadata: body.app_metadata, user_metadata: body.user_metadata, created_at: new Date().toISOString() } };
}

function installGoTrue() {
  fake.on("POST", "/auth/v1/admin/users", createInDatabase);
  fake.on("POST", "/auth/v1/invite", (req) => ({ body: { id: "invited", email: (req.json as { email: string }).email } }));
}

const requestsTo = (method: string, path: string) => fake.requests.filter((r) => r.method === method && r.path === path);
const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@supabase-mode.test`;

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  fake = await startFakeSupabase();
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.url;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = "anon-key-for-tests";
  process.env.SUPABASE_SERVICE_ROLE_KEY = SERVICE_KEY;
  resetEnvCache();
  resetAccountAdmin();
});

afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  resetAccountAdmin();
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  installGoTrue();
});

describe("accounts in Supabase mode", () => {
  it("uses the Auth admin API (which can invite), not the shim", () => {
    expect(accountAdmin()).not.toBe(embeddedAccounts);
    expect(accountAdmin().supportsInvite).toBe(true);
  });

  it("creates the account with the role in app_metadata, confirmed, with the service-role key; the trigger makes the profile", async () => {
    const address = email("staff");
    const user = await createUser(adminActor, { email: address, display_name: "Supa Staff", role: "customer", customer_id: CUSTOMERS.acme, password: "initial-pass-1" });
    const [req] = requestsTo("POST", "/auth/v1/admin/users");
    expect(req.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(req.headers.apikey).toBe(SERVICE_KEY);
    expect(req.json).toEqual({
      email: address,
      password: "initial-pass-1",
      email_confirm: true,
      app_metadata: { role: "customer", customer_id: CUSTOMERS.acme, locale: "ko", created_by: USERS.admin.id },
      user_metadata: { display_name: "Supa Staff" },
    });
    expect(user).toMatchObject({ email: address, role: "customer", customer_id: CUSTOMERS.acme, display_name: "Supa Staff", email_confirmed: true });
    expect(requestsTo("POST", "/auth/v1/invite")).toEqual([]);
    const audit = await db.query("select actor_id from public.audit_log where table_name = 'profiles' and action = 'insert' and row_id = $1", [user.id]);
    expect(audit.rows).toEqual([{ actor_id: USERS.admin.id }]);
  });

  it("invites: creates the account unconfirmed and without a password, then sends the invitation", async () => {
    const address = email("invited");
    const user = await createUser(adminActor, { email: address, display_name: "Invited", role: "manager", invite: true });
    const [created] = requestsTo("POST", "/auth/v1/admin/users");
    expect(created.json).toEqual({ email: address, app_metadata: expect.objectContaining({ role: "manager" }), user_metadata: { display_name: "Invited" } });
    expect(requestsTo("POST", "/auth/v1/invite").map((r) => (r.json as { email: string }).email)).toEqual([address]);
    expect(user).toMatchObject({ role: "manager", email_confirmed: false });
  });

  it("when the invitation cannot be sent, removes the account again so that a retry can succeed", async () => {
    const id = randomUUID();
    nextIds.push(id);
    fake.on("POST", "/auth/v1/invite", goTrueError(429, "over_email_send_rate_limit", "email rate limit exceeded"));
    // supabase-js reads the user before deleting it.
    fake.on("GET", `/auth/v1/admin/users/${id}`, { body: { id, aud: "authenticated", email: "retry" } });
    fake.on("DELETE", `/auth/v1/admin/users/${id}`, async () => {
      await db.query("delete from auth.users where id = $1", [id]);
      return { body: {} };
    });
    const address = email("retry");
    await expect(createUser(adminActor, { email: address, display_name: "Retry", role: "manager", invite: true })).rejects.toMatchObject({ code: "rate_limited" });
    expect(requestsTo("DELETE", `/auth/v1/admin/users/${id}`)).toHaveLength(1);
    expect((await db.query("select 1 from public.profiles where email = $1", [address])).rows).toEqual([]);
  });

  it("an email GoTrue already has is 409 conflict (a race past the database check)", async () => {
    fake.on("POST", "/auth/v1/admin/users", goTrueError(422, "email_exists", "A user with this email address has already been registered"));
    await expect(createUser(adminActor, { email: email("dup"), display_name: "Dup", role: "manager", password: "initial-pass-1" })).rejects.toMatchObject({
      code: "conflict",
      details: [{ path: "email", message: expect.any(String) }],
    });
  });

  it("non-admins never reach the Auth API", async () => {
    const manager = { id: USERS.manager.id, role: "manager", caller: as("manager") } as unknown as Actor;
    await expect(createUser(manager, { email: email("x"), display_name: "X", role: "admin", password: "initial-pass-1" })).rejects.toMatchObject({ code: "forbidden" });
    expect(fake.requests).toEqual([]);
  });

  it("deactivation bans the account, reactivation lifts the ban, a rename touches nothing", async () => {
    const user = await createUser(adminActor, { email: email("ban"), display_name: "Ban Me", role: "korean_team", password: "initial-pass-1" });
    const path = `/auth/v1/admin/users/${user.id}`;
    fake.on("PUT", path, { body: { id: user.id } });

    expect(await updateUser(adminActor, user.id, { active: false })).toMatchObject({ active: false });
    expect(await updateUser(adminActor, user.id, { active: true })).toMatchObject({ active: true });
    await updateUser(adminActor, user.id, { display_name: "Renamed" });
    expect(requestsTo("PUT", path).map((r) => r.json)).toEqual([{ ban_duration: "876000h" }, { ban_duration: "none" }]);
  });

  it("when the ban cannot be set, the deactivation still stands (the profile is what every request checks)", async () => {
    const user = await createUser(adminActor, { email: email("noban"), display_name: "No Ban", role: "korean_team", password: "initial-pass-1" });
    fake.on("PUT", `/auth/v1/admin/users/${user.id}`, goTrueError(500, "unexpected_failure", "down"));
    expect(await updateUser(adminActor, user.id, { active: false })).toMatchObject({ active: false });
  });
});

describe("accountError()", () => {
  it.each([
    ["email_exists", 422, "conflict"],
    ["weak_password", 422, "validation_failed"],
    ["email_address_invalid", 400, "validation_failed"],
    ["user_not_found", 404, "not_found"],
    ["over_request_rate_limit", 429, "rate_limited"],
  ])("%s becomes %s", (code, status, expected) => {
    const e = accountError({ code, status: Number(status), message: "x" });
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe(expected);
  });

  it("anything else stays an internal error, never shown to the client", () => {
    const e = accountError({ code: "unexpected_failure", status: 500, message: "Database error creating new user" });
    expect(e).not.toBeInstanceOf(AppError);
  });
});
