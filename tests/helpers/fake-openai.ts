import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// An OpenAI Chat Completions endpoint on loopback (the SDK is pointed at it by OPENAI_BASE_URL).
// It keeps every request it is sent, so tests can check the request's shape and look for what
// must never leave the app, and it answers with a translation made from a small phrase book (or
// the text tagged with the target language), a 5xx, or nothing at all (a hang) as told.

export type FakeRequest = { path: string; headers: IncomingHttpHeaders; body: ChatBody; raw: string };
export type ChatBody = { model: string; messages: { role: string; content: string }[]; [key: string]: unknown };
export type FakeMode = "ok" | "error" | "hang";

export type FakeOpenAi = {
  /** The base URL for OPENAI_BASE_URL (ends in /v1). */
  baseURL: string;
  requests: FakeRequest[];
  mode: FakeMode;
  /** How long each answer takes (ms), so that callers overlap. */
  delayMs: number;
  close(): Promise<void>;
};

/** Known sentences, for the browser tests: source text → target language → translation. */
export const PHRASES: Record<string, Partial<Record<"ko" | "zh" | "en", string>>> = {
  "검품 일정을 알려주세요.": { zh: "请告诉我验货日程。", en: "Please tell me the inspection schedule." },
  "무선 키보드": { zh: "无线键盘", en: "Wireless keyboard" },
  "请确认外箱包装。": { ko: "외박스 포장을 확인해 주세요.", en: "Please check the outer carton packing." },
  "请轻拿轻放，小心破损。": { ko: "파손 주의, 조심히 다뤄 주세요.", en: "Handle with care: fragile." },
  "工厂不良率偏高，需要复检。": { ko: "공장 불량률이 높아 재검품이 필요합니다.", en: "The factory's defect rate is high; a re-inspection is needed." },
};

/**
 * A text holding this mark is answered 503 whatever the mode: how the browser tests, which
 * cannot reach the fake's mode, make the provider fail for one request.
 */
export const FAIL_MARK = "PROVIDER-DOWN";

function targetOf(system: string): "ko" | "zh" | "en" {
  if (/to Simplified Chinese/.test(system)) return "zh";
  if (/to Korean/.test(system)) return "ko";
  return "en";
}

/** The answer for a request: the phrase book's translation, or the text tagged with the target. */
export function fakeTranslation(body: ChatBody): string {
  const system = body.messages.find((m) => m.role === "system")?.content ?? "";
  const text = body.messages.find((m) => m.role === "user")?.content ?? "";
  const target = targetOf(system);
  return PHRASES[text]?.[target] ?? `<${target}> ${text}`;
}

export async function startFakeOpenAi(port = 0): Promise<FakeOpenAi> {
  const state: FakeOpenAi = { baseURL: "", requests: [], mode: "ok", delayMs: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    // Readiness for the browser tests' web server list; not a request the app makes.
    if (req.method === "GET" && req.url === "/health") {
      res.end("ok");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: ChatBody = { model: "", messages: [] };
      try {
        body = JSON.parse(raw) as ChatBody;
      } catch {
        // kept in raw
      }
      state.requests.push({ path: req.url ?? "", headers: req.headers, body, raw });
      if (state.mode === "hang") return; // never answers: the client's timeout ends it
      res.setHeader("content-type", "application/json");
      const failing = state.mode === "error" || body.messages.some((m) => m.role === "user" && typeof m.content === "string" && m.content.includes(FAIL_MARK));
      if (failing || req.url !== "/v1/chat/completions") {
        res.statusCode = failing ? 503 : 404;
        res.end(JSON.stringify({ error: { message: "unavailable", type: "server_error" } }));
        return;
      }
      const answer = () => res.end(
        JSON.stringify({
          id: `chatcmpl-${state.requests.length}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: fakeTranslation(body) } }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
      if (state.delayMs > 0) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${address.port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
