import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { textHash, translate } from "@/lib/ai/service";
import { prepareTranslation } from "@/lib/data/translations";
import { setTransport } from "@/lib/db";
import { createPool, PostgresTransport } from "@/lib/db/postgres";
import { actorOf } from "../helpers/as";
import { USERS } from "../helpers/demo";
import { setEnv } from "../helpers/env";
import { startFakeOpenAi, type FakeOpenAi } from "../helpers/fake-openai";
import { openPgTestDatabase, type PgTestDatabase } from "../helpers/pg";

// Machine translation's single-flight on real Postgres, each caller on its own connection, with
// the official SDK pointed at a fake OpenAI server on loopback that counts the calls it gets:
// two identical misses at once call the provider once (the one that called is charged, the other
// is served from the cache); a lease whose holder died expires and the next caller takes over.

const ENV_KEYS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_TIMEOUT_MS", "OPENAI_MAX_RETRIES", "TRANSLATION_USER_DAILY_CHARS", "TRANSLATION_MONTHLY_CHARS"];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let db: PgTestDatabase;
let fake: FakeOpenAi;

beforeAll(async () => {
  db = await openPgTestDatabase();
  setTransport(new PostgresTransport(createPool(db.url, { max: 10 })));
  fake = await startFakeOpenAi();
  setEnv({
    OPENAI_API_KEY: "sk-test-fake-key",
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MODEL: "gpt-test-mini",
    OPENAI_TIMEOUT_MS: "5000",
    OPENAI_MAX_RETRIES: "0",
    TRANSLATION_USER_DAILY_CHARS: "",
    TRANSLATION_MONTHLY_CHARS: "",
  });
});
afterAll(async () => {
  setEnv(saved);
  await fake?.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.delayMs = 0;
});

type Usage = { user_id: string; chars: number; requests: number; cached: number };
async function usage(users: string[]): Promise<Record<string, Usage>> {
  const rows = await db.query<Usage>(
    "select user_id, chars, requests, cached from public.translation_usage where user_id = any($1) and day = private.translation_day()",
    [users],
  );
  return Object.fromEntries(users.map((u) => [u, rows.find((r) => r.user_id === u) ?? { user_id: u, chars: 0, requests: 0, cached: 0 }]));
}

describe("translation single-flight (real Postgres)", () => {
  it("two concurrent misses for the same text: one provider call; its caller is charged the characters, the other counted a cache hit", async () => {
    const text = "동시에 요청된 검품 보고서 문장입니다";
    const users = [USERS.korean.id, USERS.chinese.id];
    const before = await usage(users);
    // A slow provider, so that both requests miss the cache and overlap for the whole call.
    fake.delayMs = 600;
    const [a, b] = await Promise.all([
      translate(actorOf("korean"), { target: "en", text }),
      translate(actorOf("chinese"), { target: "en", text }),
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(a.text).toBe(`<en> ${text}`);
    expect(b.text).toBe(a.text);
    expect([a.cached, b.cached].sort()).toEqual([false, true]);

    const after = await usage(users);
    const [caller, waiter] = a.cached ? [USERS.chinese.id, USERS.korean.id] : [USERS.korean.id, USERS.chinese.id];
    const delta = (u: string, k: keyof Omit<Usage, "user_id">) => after[u][k] - before[u][k];
    expect([delta(caller, "chars"), delta(caller, "requests"), delta(caller, "cached")]).toEqual([[...text].length, 1, 0]);
    expect([delta(waiter, "chars"), delta(waiter, "requests"), delta(waiter, "cached")]).toEqual([0, 0, 1]);
    expect(await db.query("select 1 from public.translation_leases")).toEqual([]);
  });

  it("a lease whose holder died: callers wait while it lasts, then one takes it over and calls the provider itself", async () => {
    const text = "응답하지 않는 요청자가 잡고 있던 문장입니다";
    // The holder takes a 2-second lease and is never heard from again.
    const dead = await prepareTranslation(actorOf("manager"), { hash: textHash(text), source: "ko", target: "en" }, [...text].length, { userDaily: 0, monthly: 0 }, 2);
    expect(dead).toMatchObject({ cached: null, wait: false, lease: expect.any(String) });
    const started = Date.now();
    const [a, b] = await Promise.all([
      translate(actorOf("korean"), { target: "en", text }),
      translate(actorOf("chinese"), { target: "en", text }),
    ]);
    // Nobody called the provider while the dead holder's lease lasted; then exactly one did.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.requests).toHaveLength(1);
    expect([a.cached, b.cached].sort()).toEqual([false, true]);
    expect(b.text).toBe(a.text);
    expect(await db.query("select 1 from public.translation_leases")).toEqual([]);
  });

  it("without a lease held, a miss calls the provider at once; the next caller reads the cache", async () => {
    const text = "혼자 요청한 문장입니다";
    const first = await translate(actorOf("korean"), { target: "en", text });
    const second = await translate(actorOf("chinese"), { target: "en", text });
    expect(fake.requests).toHaveLength(1);
    expect([first.cached, second.cached]).toEqual([false, true]);
  });
});
