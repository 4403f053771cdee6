import "server-only";
import { log } from "@/lib/log";

// Posting to a Slack incoming webhook, with a few retries: Slack and the network fail now and
// then, and a digest that fails for good is simply left undelivered for the next run.

export type SlackMessage = { text: string; blocks?: unknown[] };

export type PostResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

export type RetryOptions = {
  attempts?: number;
  /** First wait between attempts; doubled each time. */
  baseDelayMs?: number;
  timeoutMs?: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only rate limits, server errors and network failures are worth trying again. */
function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

export async function postToSlack(url: string, message: SlackMessage, opts: RetryOptions = {}): Promise<PostResult> {
  const attempts = opts.attempts ?? 3;
  const baseDelay = opts.baseDelayMs ?? 250;
  let error = "not attempted";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let wait = baseDelay * 2 ** (attempt - 1);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      if (res.ok) {
        await res.body?.cancel();
        return { ok: true, attempts: attempt };
      }
      const text = (await res.text()).slice(0, 200);
      error = `HTTP ${res.status}${text ? `: ${text}` : ""}`;
      if (!retryable(res.status)) return { ok: false, attempts: attempt, error };
      // Slack says how long to back off when it rate-limits; honour it within reason.
      const retryAfter = Number(res.headers.get("retry-after"));
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(retryAfter * 1000, 5000);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    log.warn("slack.post_failed", { attempt, attempts, error });
    if (attempt < attempts) await sleep(wait);
  }
  return { ok: false, attempts, error };
}
