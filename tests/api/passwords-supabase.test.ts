import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountAdmin, resetAccountAdmin } from "@/lib/auth/user-admin";
import { issueResetLink, mustChangePassword, setTemporaryPassword } from "@/lib/data/passwords";
import { resetEnvCache } from "@/lib/env";
import { USERS } from "../helpers/demo";
import { installNextWebSocket, startFakeSupabase, type FakeSupabase } from "../helpers/fake-supabase";
import { openTestDatabase } from "../helpers/pglite";
import { createTestSessions } from "../helpers/sessions";

installNextWebSocket();

// Passwords in Supabase mode: the password goes through the Auth admin API and the reset is
// Supabase Auth's recovery email (a loopback fake GoTrue records both); the database functions get
// no password and do the rest: the must-change flag, ending the sessions, the security event.

const SERVICE_KEY = "service-role-key-for-tests";
const saved = { ...process.env };
let fake: FakeSupabase;
let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

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

beforeEach(() => fake.reset());

describe("passwords in Supabase mode", () => {
  it("sets a password through the Auth admin API with the service-role key", async () => {
    fake.on("PUT", `/auth/v1/admin/users/${USERS.chinese.id}`, { body: { id: USERS.chinese.id, aud: "authenticated" } });
    expect(accountAdmin().passwordsIn).toBe("auth");
    await accountAdmin().setPassword(USERS.chinese.id, "temp-pass-9999");
    const [req] = fake.requests.filter((r) => r.method === "PUT");
    expect(req!.headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    expect(req!.json).toEqual({ password: "temp-pass-9999" });
  });

  it("a temporary password: the database leaves the stored hash alone, flags the user and ends every session", async () => {
    const before = await db.query<{ h: string }>("select encrypted_password as h from auth.users where id = $1", [USERS.chinese.id]);
    await setTemporaryPassword(USERS.admin.id, USERS.chinese.id, null);
    const after = await db.query<{ h: string }>("select encrypted_password as h from auth.users where id = $1", [USERS.chinese.id]);
    expect(after.rows).toEqual(before.rows);
    expect(await mustChangePassword(USERS.chinese.id)).toBe(true);
    expect((await db.query("select 1 from auth.sessions where user_id = $1", [USERS.chinese.id])).rows).toEqual([]);
    await createTestSessions(async (sql, params) => (await db.query(sql, params)).rows as never, [USERS.chinese.id]);
  });

  it("a reset sends Supabase Auth's recovery email back to the app, and keeps no token", async () => {
    fake.on("POST", "/auth/v1/recover", { body: {} });
    const issued = await issueResetLink(USERS.admin.id, USERS.korean.id, false);
    expect(issued.token).toBeNull();
    await accountAdmin().sendRecovery(issued.email, "http://app.test/login");
    const [req] = fake.requests.filter((r) => r.path === "/auth/v1/recover");
    expect(req!.json).toMatchObject({ email: USERS.korean.email });
    expect(req!.query.get("redirect_to")).toBe("http://app.test/login");
    const stored = await db.query<{ h: string | null }>("select reset_token_hash as h from public.account_passwords where user_id = $1", [USERS.korean.id]);
    expect(stored.rows).toEqual([{ h: null }]);
  });
});
