import { describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { CUSTOMERS, USERS, type DemoUser } from "../helpers/demo";
import { attempt, become, becomeSuperuser } from "../helpers/sql-as";
import { databaseForSuite, type TestDb } from "../helpers/test-db";

// The translation cache, glossary, usage and preferences, for every role, both ways, on PGlite
// and Postgres: who may read a cached translation is who may read an original it was made for.

const HASH = (n: number) => n.toString(16).padStart(64, "0");
const STAFF: DemoUser[] = ["admin", "manager", "korean", "chinese"];

type Fixture = { message: { acme: string; bluesky: string }; inspection: string; flow: string; item: string };

/** Cached translations of an ACME message, a Blue Sky message, ACME's internal note and own notes, a flow note, an ACME-owned item. */
async function seedCache(q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>): Promise<Fixture> {
  const first = async (sql: string, params: unknown[] = []) => String((await q(sql, params))[0].id);
  const fx: Fixture = {
    message: {
      acme: await first("select id from public.messages where customer_id = $1 limit 1", [CUSTOMERS.acme]),
      bluesky: await first("select id from public.messages where customer_id = $1 limit 1", [CUSTOMERS.bluesky]),
    },
    inspection: await first("select id from public.inspection_applications where customer_id = $1 limit 1", [CUSTOMERS.acme]),
    flow: await first("select id from public.flows where kind = 'outbound' and customer_id = $1 limit 1", [CUSTOMERS.acme]),
    item: await first("update public.items set customer_id = $1 where id = (select id from public.items order by sku limit 1) returning id", [CUSTOMERS.acme]),
  };
  const sources: [number, string, string, string][] = [
    [1, "message", fx.message.acme, "body"],
    [2, "message", fx.message.bluesky, "body"],
    [3, "inspection_note", fx.inspection, "internal_notes"],
    [4, "inspection_note", fx.inspection, "notes"],
    [5, "flow_note", fx.flow, "note"],
    [6, "item", fx.item, "name_ko"],
  ];
  for (const [n, type, id, field] of sources) {
    const t = await first(
      `insert into public.translations (text_hash, source_lang, target_lang, glossary_version, translated, source_chars)
       values ($1, 'ko', 'en', private.glossary_version(), $2, 5) returning id`,
      [HASH(n), `translation ${n}`],
    );
    await q("insert into public.translation_sources (translation_id, source_type, source_id, field) values ($1, $2, $3, $4)", [t, type, id, field]);
  }
  return fx;
}

async function visible(db: TestDb, who: DemoUser): Promise<string[]> {
  return db.rolledBack(async (q) => {
    await seedCache(q);
    await become(q, who);
    const rows = await q<{ translated: string }>("select translated from public.translations where text_hash = any ($1::text[]) order by 1", [[1, 2, 3, 4, 5, 6].map(HASH)]);
    return rows.map((r) => r.translated);
  });
}

describe("translations: database contract", () => {
  const getDb = databaseForSuite(contractDb);

  it.each(STAFF)("%s reads every cached translation", async (who) => {
    expect(await visible(getDb(), who)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `translation ${n}`));
  });

  it("a customer reads translations of their own company's message, application notes and goods only; never an internal note, a flow note or another company's", async () => {
    expect(await visible(getDb(), "acme")).toEqual(["translation 1", "translation 4", "translation 6"]);
    expect(await visible(getDb(), "bluesky")).toEqual(["translation 2"]);
  });

  it("translation_cached answers as the caller: a customer gets null for a cached internal note, staff get it", async () => {
    await getDb().rolledBack(async (q) => {
      await seedCache(q);
      const cached = async (who: DemoUser, n: number) => {
        await become(q, who);
        const [row] = await q<{ t: string | null }>("select public.translation_cached($1, 'ko', 'en') as t", [HASH(n)]);
        await becomeSuperuser(q);
        return row.t;
      };
      expect(await cached("acme", 3)).toBeNull();
      expect(await cached("acme", 5)).toBeNull();
      expect(await cached("acme", 2)).toBeNull();
      expect(await cached("acme", 1)).toBe("translation 1");
      expect(await cached("chinese", 3)).toBe("translation 3");
    });
  });

  it("translation_source reads as the caller: staff every kind, a customer their own only (not_found otherwise)", async () => {
    await getDb().rolledBack(async (q) => {
      const fx = await seedCache(q);
      await q("update public.inspection_applications set internal_notes = '내부 메모', notes = '고객 메모' where id = $1", [fx.inspection]);
      await q("update public.flows set note = '흐름 메모' where id = $1", [fx.flow]);
      const read = async (who: DemoUser, type: string, id: string, field: string | null = null) => {
        await become(q, who);
        const out = await attempt<{ r: { text: string } }>(q, "select public.translation_source($1, $2::uuid, $3) as r", [type, id, field]);
        await becomeSuperuser(q);
        return out.ok ? out.rows[0].r.text : out.error.message;
      };
      expect(await read("chinese", "inspection_note", fx.inspection)).toBe("내부 메모");
      expect(await read("chinese", "flow_note", fx.flow)).toBe("흐름 메모");
      expect(await read("acme", "inspection_note", fx.inspection)).toBe("not_found");
      expect(await read("acme", "inspection_note", fx.inspection, "internal_notes")).toBe("not_found");
      expect(await read("acme", "inspection_note", fx.inspection, "notes")).toBe("고객 메모");
      expect(await read("bluesky", "inspection_note", fx.inspection, "notes")).toBe("not_found");
      expect(await read("acme", "flow_note", fx.flow)).toBe("not_found");
      expect(await read("bluesky", "message", fx.message.acme)).toBe("not_found");
      expect(typeof (await read("acme", "item", fx.item))).toBe("string");
      expect(await read("bluesky", "item", fx.item)).toBe("not_found");
    });
  });

  it("nobody but the service role writes the cache or usage; translation_prepare and translation_store are not callable by users", async () => {
    await getDb().rolledBack(async (q) => {
      for (const who of ["admin", "acme"] as DemoUser[]) {
        await become(q, who);
        const insert = await attempt(q, "insert into public.translations (text_hash, source_lang, target_lang, glossary_version, translated, source_chars) values ($1, 'ko', 'en', 1, 'x', 1)", [HASH(99)]);
        expect(insert.ok).toBe(false);
        const usage = await attempt(q, "insert into public.translation_usage (user_id, day, chars) values ($1, current_date, 1)", [USERS[who].id]);
        expect(usage.ok).toBe(false);
        const store = await attempt(q, "select public.translation_store($1, $2, 'ko', 'en', 1, 'planted', 1)", [USERS[who].id, HASH(98)]);
        expect(store).toMatchObject({ ok: false, error: { code: "42501" } });
        await becomeSuperuser(q);
      }
    });
  });

  it("the glossary: staff read it, customers read nothing; a change bumps the version", async () => {
    await getDb().rolledBack(async (q) => {
      await become(q, "chinese");
      expect((await q("select 1 from public.translation_terms")).length).toBeGreaterThan(5);
      await become(q, "acme");
      expect(await q("select 1 from public.translation_terms")).toEqual([]);
      await becomeSuperuser(q);
      const [before] = await q<{ v: number }>("select private.glossary_version() as v");
      await become(q, "admin");
      await q("select public.glossary_save(null, '볼트', '螺栓', 'bolt')");
      await becomeSuperuser(q);
      const [after] = await q<{ v: number }>("select private.glossary_version() as v");
      expect(after.v).toBe(before.v + 1);
      await become(q, "korean");
      expect(await attempt(q, "select public.glossary_save(null, '너트', '螺母', 'nut')")).toMatchObject({ ok: false, error: { message: "forbidden" } });
    });
  });

  it("usage: admins read it, no one else; preferences: each user reads only their own", async () => {
    await getDb().rolledBack(async (q) => {
      await q("insert into public.translation_usage (user_id, day, chars, requests) values ($1, current_date, 10, 1)", [USERS.chinese.id]);
      await q("insert into public.translation_preferences (user_id, auto_translate) values ($1, false), ($2, true)", [USERS.chinese.id, USERS.acme.id]);
      for (const who of ["admin", "manager", "chinese", "acme"] as DemoUser[]) {
        await become(q, who);
        const usage = await q("select 1 from public.translation_usage");
        expect(usage.length, who).toBe(who === "admin" ? 1 : 0);
        const prefs = await q<{ user_id: string }>("select user_id from public.translation_preferences");
        expect(prefs.map((p) => p.user_id), who).toEqual(who === "chinese" || who === "acme" ? [USERS[who].id] : []);
        await becomeSuperuser(q);
      }
    });
  });
  describe("single-flight: one lease per cache key", () => {
    type Prepared = { cached: string | null; wait: boolean; lease: string | null };
    const prepare = (q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>, who: DemoUser, n: number, lease = 60) =>
      q(`select public.translation_prepare($1, $2, 'ko', 'en', 5, 0, 0, p_lease_seconds => $3) as r`, [USERS[who].id, HASH(n), lease]).then((r) => r[0].r as Prepared);
    const leases = async (q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>, n: number) =>
      (await q("select holder from public.translation_leases where text_hash = $1", [HASH(n)])).length;

    it("the first miss gets a lease, a second is told to wait (nothing counted), and after the store it is a cache hit", async () => {
      await getDb().rolledBack(async (q) => {
        await become(q, "service_role");
        const first = await prepare(q, "korean", 50);
        expect(first).toMatchObject({ cached: null, wait: false, lease: expect.any(String) });
        expect(await prepare(q, "chinese", 50)).toMatchObject({ cached: null, wait: true, lease: null });
        const usage = await q("select cached from public.translation_usage where user_id = $1", [USERS.chinese.id]);
        expect(usage).toEqual([]);
        await q("select public.translation_store($1, $2, 'ko', 'en', private.glossary_version(), 'made once', 5, p_lease => $3)", [USERS.korean.id, HASH(50), first.lease]);
        expect(await leases(q, 50)).toBe(0);
        expect(await prepare(q, "chinese", 50)).toMatchObject({ cached: "made once", wait: false, lease: null });
        const counted = await q("select chars, requests, cached from public.translation_usage where user_id = any($1) order by chars desc", [[USERS.korean.id, USERS.chinese.id]]);
        expect(counted).toEqual([{ chars: 5, requests: 1, cached: 0 }, { chars: 0, requests: 0, cached: 1 }]);
      });
    });

    it("an expired lease is taken over; a released one at once; a refused limit leaves no lease", async () => {
      await getDb().rolledBack(async (q) => {
        await become(q, "service_role");
        const dead = await prepare(q, "korean", 51);
        await becomeSuperuser(q);
        await q("update public.translation_leases set leased_until = now() - interval '1 second' where holder = $1", [dead.lease]);
        await become(q, "service_role");
        const next = await prepare(q, "chinese", 51);
        expect(next).toMatchObject({ wait: false, lease: expect.any(String) });
        expect(next.lease).not.toBe(dead.lease);

        expect((await q("select public.translation_release($1) as r", [next.lease]))[0].r).toBe(true);
        expect(await prepare(q, "manager", 51)).toMatchObject({ wait: false, lease: expect.any(String) });

        const refused = await attempt(q, "select public.translation_prepare($1, $2, 'ko', 'en', 5, 1, 0)", [USERS.admin.id, HASH(52)]);
        expect(refused).toMatchObject({ ok: false, error: { message: "translation_limit" } });
        expect(await leases(q, 52)).toBe(0);
      });
    });

    it.each(["admin", "acme", "anon"] as const)("%s may not read leases or call translation_release", async (who) => {
      await getDb().rolledBack(async (q) => {
        await become(q, who);
        expect(await attempt(q, "select 1 from public.translation_leases")).toMatchObject({ ok: false, error: { code: "42501" } });
        expect(await attempt(q, "select public.translation_release(gen_random_uuid())")).toMatchObject({ ok: false, error: { code: "42501" } });
      });
    });
  });
});
