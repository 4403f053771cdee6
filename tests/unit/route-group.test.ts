import { describe, expect, it } from "vitest";
import { bucketOf, p95FromHistogram, routeGroup } from "@/lib/ops/route-group";
import { maintenanceSchema } from "@/lib/schemas/ops";

// The request metrics' route groups and histogram (lib/ops/route-group.ts), and the maintenance
// switch's input.

describe("route groups", () => {
  it.each([
    ["/api/v1/items", "v1:items"],
    ["/api/v1/items/4b1c/stock", "v1:items"],
    ["/api/v1/outbounds/x/commit", "v1:outbounds"],
    ["/api/v1", "v1:root"],
    ["/api/v1/%E2%9C%93", "v1:other"],
    ["/api/cron/alerts", "cron"],
    ["/healthz", "health"],
    ["/health/ready", "health"],
    ["/api/health", "health"],
    ["/api/docs", "api"],
    ["/dashboard", "other"],
  ])("%s → %s", (path, group) => expect(routeGroup(path)).toBe(group));
});

describe("histogram", () => {
  it("puts a duration in the first bucket whose bound holds it; 3000 ms is not slower than 3 s", () => {
    expect([0, 50, 51, 999, 1000, 2999, 3000, 3001, 10000, 10001, 60000].map(bucketOf)).toEqual([0, 0, 1, 4, 4, 6, 6, 7, 8, 9, 9]);
  });

  it("p95 is the bound of the bucket the 95th percentile falls in", () => {
    expect(p95FromHistogram([0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeNull();
    expect(p95FromHistogram([95, 0, 0, 0, 0, 0, 0, 5, 0, 0])).toBe(50);
    expect(p95FromHistogram([94, 0, 0, 0, 0, 0, 0, 6, 0, 0])).toBe(5000);
    expect(p95FromHistogram([0, 0, 0, 0, 0, 0, 0, 0, 0, 3])).toBe(10000);
  });
});

describe("maintenance input", () => {
  it("takes JSON booleans and the form's strings; a datetime-local value is Seoul time", () => {
    expect(maintenanceSchema.parse({ active: true })).toEqual({ active: true });
    expect(maintenanceSchema.parse({ active: "false", message: "  x ", ends_at: "" })).toEqual({ active: false, message: "x", ends_at: null });
    expect(maintenanceSchema.parse({ active: "true", ends_at: "2026-12-06T03:00" }).ends_at).toBe("2026-12-06T03:00:00+09:00");
    expect(maintenanceSchema.parse({ active: true, ends_at: "2026-12-05T18:00:00Z" }).ends_at).toBe("2026-12-05T18:00:00Z");
  });

  it("refuses anything else", () => {
    for (const bad of [{}, { active: "yes" }, { active: true, ends_at: "tomorrow" }, { active: true, message: "x".repeat(501) }]) {
      expect(maintenanceSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
