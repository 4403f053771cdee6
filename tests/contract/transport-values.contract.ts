import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, defineFunction, getTransport, service } from "@/lib/db";
import { createItem, getItem } from "@/lib/data/items";
import { getMyProfile } from "@/lib/data/profiles";
import { z } from "zod";
import { as } from "../helpers/as";
import { contractDb } from "../helpers/contract-db";
import { databaseForSuite, type MakeDb } from "../helpers/test-db";

// Both transports send a whole rpc as one query string with the values inlined as escaped
// literals (lib/db/sql-call.ts). Whatever a client sends must arrive byte for byte, mean the same
// to the function, and never run as SQL; an error must leave no connection in a broken state.

const TRICKY = [
  "O'Brien's \"quoted\" name",
  "'); drop table public.items; --",
  "C:\\temp\\new\\table \\' still text",
  "$1 $2 $10 and $$ dollar $$ quotes",
  "한국어 이름 · 中文名称 · emoji 📦",
  "line one\nline two\ttab",
  "E'not an escape' U&'\\0041'",
];

const appError = (code: string) => expect.objectContaining({ name: "AppError", code });
const fnHealth = defineFunction("health_check", z.object({}), z.unknown());

function describeTransportValuesContract(makeDb: MakeDb) {
  describe("transport: one query string per call", () => {
    databaseForSuite(makeDb);

    it.each(TRICKY)("stores and reads back %j exactly", async (name) => {
      const created = await createItem(as("admin"), { sku: `T-${randomUUID().slice(0, 8)}`, name_ko: name, name_en: name, unit: "EA", reorder_point: 0, unit_cost: 0 });
      const read = (await getItem(as("korean"), created.id)) as { name_ko: string; name_en: string };
      expect(read.name_ko).toBe(name);
      expect(read.name_en).toBe(name);
    });

    it("the items table is still there after the SQL-looking names", async () => {
      const r = await call(defineFunction("items_list", z.looseObject({ p_page: z.number(), p_limit: z.number() }), z.looseObject({ count: z.number() })), { p_page: 1, p_limit: 1 }, as("admin"));
      expect(r.count).toBeGreaterThan(0);
    });

    it("a NUL character is a 422-class validation error, not an internal one, and nothing is written", async () => {
      const sku = `NUL-${randomUUID().slice(0, 8)}`;
      await expect(createItem(as("admin"), { sku, name_ko: "a\u0000b", unit: "EA", reorder_point: 0, unit_cost: 0 })).rejects.toEqual(appError("validation_failed"));
      const transport = await getTransport();
      const found = (await transport.rpc("items_list", { p_q: sku, p_page: 1, p_limit: 5 }, as("admin"))) as { count: number };
      expect(found.count).toBe(0);
    });

    it("a failed call rolls back and leaves every connection usable", async () => {
      for (let i = 0; i < 25; i++) {
        await expect(getItem(as("admin"), randomUUID())).rejects.toEqual(appError("not_found"));
      }
      const results = await Promise.all(Array.from({ length: 25 }, () => call(fnHealth, {}, service)));
      expect(results).toHaveLength(25);
      expect(await getMyProfile(as("admin"))).toMatchObject({ role: "admin" });
    });

    it("role and claims hold for the call only: the next call as someone else sees its own profile", async () => {
      const [a, b] = await Promise.all([getMyProfile(as("acme")), getMyProfile(as("manager"))]);
      expect(a).toMatchObject({ role: "customer" });
      expect(b).toMatchObject({ role: "manager" });
    });
  });
}

describeTransportValuesContract(contractDb);
