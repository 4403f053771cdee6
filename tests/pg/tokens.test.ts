import { beforeAll, describe, expect, it } from "vitest";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { openPgTestDatabase, type PgTestDatabase } from "../helpers/pg";
import { client, request } from "../helpers/router";

// Personal access tokens on real Postgres (the self-hosted Postgres mode; embedded is
// tests/api/tokens.test.ts, Supabase tests/api/tokens-supabase.test.ts): the token is resolved by
// its hash, every call of the request runs as its user with claims naming the token, RLS and the
// scope apply, and private.session_is_live() refuses the token once it is revoked.

const opening = openPgTestDatabase();
let db: PgTestDatabase;
beforeAll(async () => {
  db = await opening;
});

const SEL = "10000000-0000-4000-8000-000000000001";
const withToken = (token: string, method: string, url: string, body?: unknown) => request(method, url, { body, token, headers: { origin: "" } });

async function newToken(who: "korean" | "acme", scope: "read" | "read_write"): Promise<{ id: string; token: string }> {
  const res = await client(who).post("/api/v1/tokens", { name: `pg ${scope}`, scope, expires_in_days: 30 });
  expect(res.status).toBe(201);
  return res.body.data;
}

describe("personal access tokens on Postgres", () => {
  it("act as their user: a read_write token creates a flow as that user, a read token gets 403 and writes nothing", async () => {
    const writer = await newToken("korean", "read_write");
    expect((await withToken(writer.token, "GET", "/api/v1/auth/me")).body.data.user).toMatchObject({ id: USERS.korean.id, role: "korean_team" });
    const item = (await withToken(writer.token, "GET", "/api/v1/items?limit=1")).body.data[0].id as string;
    const created = await withToken(writer.token, "POST", "/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: item, qty: 1 }] });
    expect(created.status).toBe(201);
    expect((await db.query<{ created_by: string }>("select created_by from public.flows where id = $1", [created.body.data.id]))[0].created_by).toBe(USERS.korean.id);

    const reader = await newToken("korean", "read");
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.flows"))[0].n;
    expect((await withToken(reader.token, "POST", "/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: item, qty: 1 }] })).status).toBe(403);
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.flows"))[0].n).toBe(before);
  });

  it("a customer's token sees only its company's goods (RLS), and is refused at once when revoked", async () => {
    const { id, token } = await newToken("acme", "read");
    const stock = await withToken(token, "GET", "/api/v1/portal/stock?limit=100");
    expect(stock.status).toBe(200);
    const items: string[] = stock.body.data.map((r: { item_id: string }) => r.item_id);
    expect(items.length).toBeGreaterThan(0);
    const owners = await db.query<{ customer_id: string }>("select distinct customer_id::text from public.items where id = any($1::uuid[])", [items]);
    expect(owners.map((o) => o.customer_id)).toEqual([CUSTOMERS.acme]);
    expect((await withToken(token, "GET", "/api/v1/items")).status).toBe(403);

    expect((await client("acme").del(`/api/v1/tokens/${id}`)).status).toBe(200);
    expect((await withToken(token, "GET", "/api/v1/portal/stock")).status).toBe(401);
  });
});
