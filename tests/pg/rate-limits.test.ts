import { describe, expect, it } from "vitest";
import { call, service } from "@/lib/db";
import { fnRateLimitHit } from "@/lib/data/rate-limits";
import { openPgTestDb } from "../helpers/pg";
import { databaseForSuite } from "../helpers/test-db";

// Serverless instances hit one bucket at the same moment: the count must still be exact.
describe("rate limits under concurrency (real Postgres)", () => {
  databaseForSuite(openPgTestDb);

  it("40 simultaneous hits on a limit of 10: exactly 10 allowed, hits numbered 1..40", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () => call(fnRateLimitHit, { p_bucket: "race:one", p_limit: 10, p_window_seconds: 60 }, service)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});
