import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SCHEDULED_JOBS } from "@/lib/ops/scheduled-jobs";

// The status page lists every job of vercel.json by the name its runs are recorded under, also
// one that never ran: the list in lib/ops/scheduled-jobs.ts must be vercel.json's crons.

describe("scheduled jobs", () => {
  it("are vercel.json's crons, /api/cron/<name>", () => {
    const config = JSON.parse(readFileSync(path.resolve(__dirname, "../../vercel.json"), "utf8")) as { crons: { path: string }[] };
    const names = config.crons.map((c) => /^\/api\/cron\/([a-z-]+)$/.exec(c.path)?.[1] ?? c.path);
    expect([...names].sort()).toEqual([...SCHEDULED_JOBS]);
  });

  it("each cron route records its runs under its own name", () => {
    for (const job of SCHEDULED_JOBS) {
      const route = readFileSync(path.resolve(__dirname, `../../app/api/cron/${job}/route.ts`), "utf8");
      expect(route, job).toContain(`recordedJob("${job}"`);
    }
  });
});
