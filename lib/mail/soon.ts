import "server-only";
import { after } from "next/server";
import { log } from "@/lib/log";
import { mailConfig } from "./config";
import { deliverOutbox } from "./deliver";

// Right after a request that queued email, deliver what is due once the answer has gone out
// (Next's after(): the platform keeps the function alive for it). The claim in the database makes
// this and the cron job never send the same email twice; whatever this misses, the cron job sends.

export function deliverSoon(): void {
  if (!mailConfig()) return;
  try {
    after(async () => {
      try {
        await deliverOutbox({ maxBatches: 1 });
      } catch (error) {
        log.warn("mail.after_failed", { error: error instanceof Error ? error.message : String(error) });
      }
    });
  } catch {
    // Outside a request (scripts, tests): the cron job delivers.
  }
}
