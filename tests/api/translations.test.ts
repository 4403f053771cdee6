import type { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CUSTOMERS } from "../helpers/demo";
import { startFakeOpenAi, type FakeOpenAi } from "../helpers/fake-openai";
import { openTestDatabase } from "../helpers/pglite";
import { client, request, tokenFor } from "../helpers/router";
import { setEnv } from "../helpers/env";

// POST /api/v1/translations and its companions on this file's embedded database, with the
// official SDK pointed at a fake OpenAI server on loopback: what is sent (shape, glossary,
// masking), what is not (cache hits, limits, records the caller may not read), and what the
// caller is told when the provider fails or hangs.

let db: PGlite;
let fake: FakeOpenAi;
const admin = client("admin");
const korean = client("korean");
const chinese = client("chinese");
const manager = client("manager");
const acme = client("acme");
const bluesky = client("bluesky");

const ENV_KEYS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "OPENAI_TIMEOUT_MS", "OPENAI_MAX_RETRIES", "TRANSLATION_USER_DAILY_CHARS", "TRANSLATION_MONTHLY_CHARS"];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));


const on = () => ({
  OPENAI_API_KEY: "sk-test-fake-key",
  OPENAI_BASE_URL: fake.baseURL,
  OPENAI_MODEL: "gpt-test-mini",
  OPENAI_TIMEOUT_MS: "2000",
  OPENAI_MAX_RETRIES: "0",
  TRANSLATION_USER_DAILY_CHARS: "",
  TRANSLATION_MONTHLY_CHARS: "",
});

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  setEnv(saved);
  await fake.close();
});
beforeEach(() => {
  setEnv(on());
  fake.mode = "ok";
  fake.requests.length = 0;
});
afterEach(() => setEnv(on()));

/** A fresh message in an application of the company, written by its own user (unique text). */
async function newMessage(customer: string, body: string): Promise<string> {
  const [insp] = (await db.query<{ id: string }>("select id from public.inspection_applications where customer_id = $1 order by created_at limit 1", [customer])).rows;
  const sender = (await db.query<{ id: string }>("select id from public.profiles where customer_id = $1 order by email limit 1", [customer])).rows[0];
  const [row] = (
    await db.query<{ id: string }>(
      "insert into public.messages (inspection_id, customer_id, sender_id, from_staff, body) values ($1, $2, $3, false, $4) returning id",
      [insp.id, customer, sender.id, body],
    )
  ).rows;
  return row.id;
}

async function acmeInspection(internal: string, notes: string | null = null): Promise<string> {
  const [row] = (
    await db.query<{ id: string }>(
      "update public.inspection_applications set internal_notes = $2, notes = coalesce($3, notes) where id = (select id from public.inspection_applications where customer_id = $1 order by created_at desc limit 1) returning id",
      [CUSTOMERS.acme, internal, notes],
    )
  ).rows;
  return row.id;
}

const put = async (who: "admin" | "chinese" | "acme" | "korean", url: string, body: unknown) => request("PUT", url, { body, token: await tokenFor(who) });

describe("turned off", () => {
  it("answers 404 not_enabled on every translation endpoint while no key is set, and sends nothing", async () => {
    setEnv({ OPENAI_API_KEY: undefined });
    const id = await newMessage(CUSTOMERS.acme, "안녕하세요, 꺼져 있을 때");
    for (const res of [
      await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } }),
      await korean.post("/api/v1/translations", { target: "en", text: "키보드" }),
      await chinese.get("/api/v1/translations/settings"),
      await admin.get("/api/v1/translations/glossary"),
      await admin.get("/api/v1/translations/usage"),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_enabled");
    }
    expect(fake.requests).toEqual([]);
  });
});

describe("a translation", () => {
  it("sends one chat completion with the model, a system prompt holding the glossary, and the text; answers it marked as machine translation", async () => {
    const id = await newMessage(CUSTOMERS.acme, "LCD 모니터 검품은 언제 하나요?");
    const res = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ text: "<zh> LCD 모니터 검품은 언제 하나요?", source_lang: "ko", target_lang: "zh", cached: false, machine: true });
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test-fake-key");
    expect(sent.body.model).toBe("gpt-test-mini");
    expect(sent.body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const system = sent.body.messages[0].content;
    expect(system).toContain("from Korean to Simplified Chinese");
    // The seeded glossary's forms, in all three languages.
    expect(system).toContain("LCD 모니터 | LCD显示器 | LCD monitor");
    expect(system).toContain("검품 | 验货 | inspection");
    expect(sent.body.messages[1].content).toBe("LCD 모니터 검품은 언제 하나요?");
  });

  it("detects the language from the text, not from who wrote it", async () => {
    const id = await newMessage(CUSTOMERS.acme, "The cartons arrived damaged.");
    const res = await korean.post("/api/v1/translations", { target: "ko", source: { type: "message", id } });
    expect(res.body.data).toMatchObject({ source_lang: "en", target_lang: "ko" });
    expect(fake.requests[0].body.messages[0].content).toContain("from English to Korean");
  });

  it("a text already in the target language comes back as it is, with nothing sent", async () => {
    const id = await newMessage(CUSTOMERS.acme, "请尽快发货");
    const res = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    expect(res.body.data).toMatchObject({ text: "请尽快发货", source_lang: "zh", target_lang: "zh" });
    expect(fake.requests).toEqual([]);
  });

  it("never sends an email address, phone number or URL, and puts them back in the answer", async () => {
    const body = "담당자 kim.minsu@acme.test 또는 010-1234-5678, +86 138 0013 8000 으로 연락 주세요. 사양서: https://files.acme.test/spec?id=7";
    const id = await newMessage(CUSTOMERS.acme, body);
    const res = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    expect(res.status).toBe(200);
    const raw = fake.requests.map((r) => r.raw).join("\n");
    for (const secret of ["kim.minsu@acme.test", "010-1234-5678", "1234-5678", "138 0013 8000", "files.acme.test", "https://"]) {
      expect(raw, secret).not.toContain(secret);
    }
    expect(raw).toContain("[[EMAIL_");
    expect(raw).toContain("[[PHONE_");
    expect(res.body.data.text).toContain("kim.minsu@acme.test");
    expect(res.body.data.text).toContain("010-1234-5678");
    expect(res.body.data.text).toContain("+86 138 0013 8000");
    expect(res.body.data.text).toContain("https://files.acme.test/spec?id=7");
  });

  it("the same text is sent once: the second request, by anyone who may read it, is answered from the cache", async () => {
    const id = await newMessage(CUSTOMERS.acme, "포장 박스를 두 겹으로 해 주세요");
    const first = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    expect(first.body.data.cached).toBe(false);
    const again = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    const other = await korean.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    const customer = await acme.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    for (const res of [again, other, customer]) expect(res.body.data).toMatchObject({ text: first.body.data.text, cached: true });
    expect(fake.requests).toHaveLength(1);
    // The same words in another record are not sent again either.
    const twin = await newMessage(CUSTOMERS.acme, "포장 박스를 두 겹으로 해 주세요");
    expect((await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id: twin } })).body.data.cached).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it("a glossary change makes the next request translate afresh with the new term", async () => {
    const id = await newMessage(CUSTOMERS.acme, "스테인리스 브래킷 수량 확인 부탁드립니다");
    await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    const added = await admin.post("/api/v1/translations/glossary", { ko: "스테인리스 브래킷", zh: "不锈钢支架", en: "stainless bracket" });
    expect(added.status).toBe(201);
    const res = await chinese.post("/api/v1/translations", { target: "zh", source: { type: "message", id } });
    expect(res.body.data.cached).toBe(false);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].body.messages[0].content).toContain("스테인리스 브래킷 | 不锈钢支架 | stainless bracket");
  });
});

describe("who may translate what", () => {
  it("a customer translates their own company's messages, never another company's (404, nothing sent)", async () => {
    const own = await newMessage(CUSTOMERS.acme, "샘플 사진을 보내 주세요");
    const theirs = await newMessage(CUSTOMERS.bluesky, "블루스카이의 비밀 메시지");
    expect((await acme.post("/api/v1/translations", { target: "en", source: { type: "message", id: own } })).status).toBe(200);
    const refused = await acme.post("/api/v1/translations", { target: "en", source: { type: "message", id: theirs } });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("not_found");
    expect(fake.requests.map((r) => r.raw).join()).not.toContain("블루스카이");
    expect((await bluesky.post("/api/v1/translations", { target: "en", source: { type: "message", id: theirs } })).status).toBe(200);
  });

  it("internal notes: staff translate them; the customer gets 404 even once staff have (the cache is not theirs), and nothing is sent for them", async () => {
    const inspection = await acmeInspection("공장 측 불량률이 높음, 재검품 필요");
    const staff = await korean.post("/api/v1/translations", { target: "en", source: { type: "inspection_note", id: inspection } });
    expect(staff.status).toBe(200);
    expect(staff.body.data.text).toContain("불량률");
    fake.requests.length = 0;
    for (const field of [undefined, "internal_notes"]) {
      const res = await acme.post("/api/v1/translations", { target: "en", source: { type: "inspection_note", id: inspection, ...(field ? { field } : {}) } });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain("불량률");
    }
    expect(fake.requests).toEqual([]);
  });

  it("an application's own notes: its customer and staff translate them; the other customer gets 404", async () => {
    const inspection = await acmeInspection("내부 메모", "출고 전에 박스 상태 확인 부탁드립니다");
    expect((await acme.post("/api/v1/translations", { target: "zh", source: { type: "inspection_note", id: inspection, field: "notes" } })).status).toBe(200);
    expect((await chinese.post("/api/v1/translations", { target: "zh", source: { type: "inspection_note", id: inspection, field: "notes" } })).body.data.cached).toBe(true);
    expect((await bluesky.post("/api/v1/translations", { target: "zh", source: { type: "inspection_note", id: inspection, field: "notes" } })).status).toBe(404);
  });

  it("flow notes: staff only", async () => {
    const [flow] = (await db.query<{ id: string }>("update public.flows set note = '파손 주의, 천천히 하역' where id = (select id from public.flows where kind = 'outbound' and customer_id = $1 limit 1) returning id", [CUSTOMERS.acme])).rows;
    expect((await chinese.post("/api/v1/translations", { target: "zh", source: { type: "flow_note", id: flow.id } })).status).toBe(200);
    expect((await acme.post("/api/v1/translations", { target: "zh", source: { type: "flow_note", id: flow.id } })).status).toBe(404);
  });

  it("free text: staff only (403 for customers), at most 5,000 characters (422), nothing sent when refused", async () => {
    const ok = await korean.post("/api/v1/translations", { target: "zh", text: "무선 키보드" });
    expect(ok.body.data).toMatchObject({ text: "无线键盘", source_lang: "ko", target_lang: "zh", machine: true });
    fake.requests.length = 0;
    const customer = await acme.post("/api/v1/translations", { target: "zh", text: "무선 마우스" });
    expect(customer.status).toBe(403);
    const long = await korean.post("/api/v1/translations", { target: "zh", text: "가".repeat(5001) });
    expect(long.status).toBe(422);
    const both = await korean.post("/api/v1/translations", { target: "zh", text: "가", source: { type: "message", id: "00000000-0000-4000-8000-000000000000" } });
    expect(both.status).toBe(422);
    const lang = await korean.post("/api/v1/translations", { target: "fr", text: "가" });
    expect(lang.status).toBe(422);
    expect(fake.requests).toEqual([]);
  });
});

describe("free text at the limit", () => {
  it("exactly 5,000 characters are accepted and sent (5,001 are refused above)", async () => {
    const text = "나".repeat(4991) + " 경계 시험 문장";
    expect([...text]).toHaveLength(5000);
    const res = await korean.post("/api/v1/translations", { target: "en", text });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ source_lang: "ko", target_lang: "en", cached: false, machine: true });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body.messages[1].content).toBe(text);
  });
});

describe("limits and failures", () => {
  it("past a user's daily characters: 429 translation_limit, nothing sent; other users go on", async () => {
    setEnv({ ...on(), TRANSLATION_USER_DAILY_CHARS: "40" });
    const first = await manager.post("/api/v1/translations", { target: "en", text: "검품 보고서를 확인했습니다 감사합니다" });
    expect(first.status).toBe(200);
    const second = await manager.post("/api/v1/translations", { target: "en", text: "다음 주 화요일에 선적 전 검품을 진행합니다" });
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: "translation_limit", details: { limit: "user_daily" } });
    expect(fake.requests).toHaveLength(1);
    // A cached text still answers (nothing to send), and another user has their own allowance.
    expect((await manager.post("/api/v1/translations", { target: "en", text: "검품 보고서를 확인했습니다 감사합니다" })).status).toBe(200);
    expect((await admin.post("/api/v1/translations", { target: "en", text: "다음 주 화요일에 선적 전 검품을 진행합니다" })).status).toBe(200);
    expect(fake.requests).toHaveLength(2);
  });

  it("past the monthly characters for everyone: 429 translation_limit", async () => {
    setEnv({ ...on(), TRANSLATION_MONTHLY_CHARS: "1" });
    const res = await admin.post("/api/v1/translations", { target: "en", text: "월간 한도 확인용 문장" });
    expect(res.status).toBe(429);
    expect(res.body.error.details).toMatchObject({ limit: "monthly" });
    expect(fake.requests).toEqual([]);
  });

  it("a provider answering 5xx is retried, then the answer is 503 translation_unavailable and nothing is cached", async () => {
    setEnv({ ...on(), OPENAI_MAX_RETRIES: "1" });
    fake.mode = "error";
    const res = await korean.post("/api/v1/translations", { target: "en", text: "서버 오류 시험 문장" });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("translation_unavailable");
    expect(fake.requests).toHaveLength(2);
    fake.mode = "ok";
    const later = await korean.post("/api/v1/translations", { target: "en", text: "서버 오류 시험 문장" });
    expect(later.body.data.cached).toBe(false);
  });

  it("a provider that does not answer times out: 503 translation_unavailable", async () => {
    setEnv({ ...on(), OPENAI_TIMEOUT_MS: "500", OPENAI_MAX_RETRIES: "0" });
    fake.mode = "hang";
    const res = await korean.post("/api/v1/translations", { target: "en", text: "응답 없는 공급자 시험" });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("translation_unavailable");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("nothing waits for a translation", () => {
  it("sending a message, and reading the thread, never call the provider: with it hanging, both answer at once", async () => {
    setEnv({ ...on(), OPENAI_TIMEOUT_MS: "20000", OPENAI_MAX_RETRIES: "0" });
    fake.mode = "hang";
    const [insp] = (
      await db.query<{ id: string }>(
        "select id from public.inspection_applications where customer_id = $1 and status not in ('cancelled', 'completed') order by created_at limit 1",
        [CUSTOMERS.acme],
      )
    ).rows;
    const started = Date.now();
    const sent = await acme.post(`/api/v1/inspections/${insp.id}/messages`, { body: "번역과 상관없이 바로 보내져야 합니다" });
    expect(sent.status).toBe(201);
    const thread = await chinese.get(`/api/v1/inspections/${insp.id}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.data.map((m: { body: string }) => m.body)).toContain("번역과 상관없이 바로 보내져야 합니다");
    // Under the 20 s the hanging provider would hold a request that waited for it (slack for a loaded machine).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(fake.requests).toEqual([]);
  });
});

describe("settings, glossary and usage", () => {
  it("automatic translation is on by default for Chinese staff only; each user sets their own", async () => {
    expect((await chinese.get("/api/v1/translations/settings")).body.data).toEqual({ auto_translate: true });
    expect((await korean.get("/api/v1/translations/settings")).body.data).toEqual({ auto_translate: false });
    expect((await acme.get("/api/v1/translations/settings")).body.data).toEqual({ auto_translate: false });
    expect((await put("acme", "/api/v1/translations/settings", { auto_translate: true })).body.data).toEqual({ auto_translate: true });
    expect((await acme.get("/api/v1/translations/settings")).body.data).toEqual({ auto_translate: true });
    expect((await korean.get("/api/v1/translations/settings")).body.data).toEqual({ auto_translate: false });
    expect((await put("acme", "/api/v1/translations/settings", { auto_translate: "yes" })).status).toBe(422);
  });

  it("the glossary: staff read it, admins change it (two languages at least), others are refused", async () => {
    const list = await chinese.get("/api/v1/translations/glossary");
    expect(list.status).toBe(200);
    expect(list.body.data.data).toEqual(expect.arrayContaining([expect.objectContaining({ ko: "키보드", zh: "键盘", en: "keyboard" })]));
    expect((await acme.get("/api/v1/translations/glossary")).status).toBe(403);
    expect((await korean.post("/api/v1/translations/glossary", { ko: "나사", zh: "螺丝" })).status).toBe(403);
    expect((await admin.post("/api/v1/translations/glossary", { ko: "나사" })).status).toBe(422);
    const made = await admin.post("/api/v1/translations/glossary", { ko: "나사", zh: "螺丝", en: "screw" });
    expect(made.status).toBe(201);
    expect(made.body.data.version).toBeGreaterThan(list.body.data.version);
    const changed = await put("admin", `/api/v1/translations/glossary/${made.body.data.id}`, { ko: "나사", zh: "螺钉", en: "screw" });
    expect(changed.body.data).toMatchObject({ zh: "螺钉" });
    expect((await put("korean", `/api/v1/translations/glossary/${made.body.data.id}`, { ko: "x", zh: "y" })).status).toBe(403);
    expect((await admin.del(`/api/v1/translations/glossary/${made.body.data.id}`)).status).toBe(200);
    expect((await admin.del(`/api/v1/translations/glossary/${made.body.data.id}`)).status).toBe(404);
  });

  it("usage per day and per user: admins only, counting characters sent and requests made", async () => {
    const before = (await admin.get("/api/v1/translations/usage?days=7")).body.data.users.find((u: { email: string }) => u.email === "chinese@duly.test");
    await chinese.post("/api/v1/translations", { target: "en", text: "사용량 집계 시험 문장" });
    await chinese.post("/api/v1/translations", { target: "en", text: "사용량 집계 시험 문장" });
    const res = await admin.get("/api/v1/translations/usage?days=7");
    expect(res.status).toBe(200);
    const mine = res.body.data.users.find((u: { email: string }) => u.email === "chinese@duly.test");
    // One request sent 12 characters; the second was answered from the cache and sent nothing.
    expect(mine.chars - (before?.chars ?? 0)).toBe(12);
    expect(mine.requests - (before?.requests ?? 0)).toBe(1);
    expect(res.body.data.days[0]).toMatchObject({ day: expect.any(String) });
    expect(res.body.data.month_chars).toBeGreaterThanOrEqual(mine.chars);
    expect((await korean.get("/api/v1/translations/usage")).status).toBe(403);
    expect((await acme.get("/api/v1/translations/usage")).status).toBe(403);
  });
});
