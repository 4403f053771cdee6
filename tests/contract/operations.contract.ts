import { describe, expect, it } from "vitest";
import { contractDb } from "../helpers/contract-db";
import { USERS, type DemoUser } from "../helpers/demo";
import { outcome, rpc } from "../helpers/rpc-as";
import { attempt, become, becomeSuperuser, sqlAs } from "../helpers/sql-as";
import { databaseForSuite } from "../helpers/test-db";

// The operations tables and functions (supabase/migrations/20261207140100_operations.sql), on
// PGlite and Postgres: admins read every table, nobody else reads or writes any of them with a
// session; the service-role functions merge metrics, keep alert state and re-check the admin.

const TABLES = ["request_metrics", "ops_alerts", "ops_alert_events", "ops_job_runs", "ops_backups", "ops_samples", "ops_maintenance"];
const NON_ADMINS: DemoUser[] = ["manager", "korean", "chinese", "acme", "bluesky"];
const MINUTE = "2030-01-01T00:00:00Z";
const UPDATES: Record<string, string> = {
  request_metrics: "requests = 0",
  ops_alerts: "status = 'ok'",
  ops_alert_events: "notified = true",
  ops_job_runs: "ok = true",
  ops_backups: "ok = true",
  ops_samples: "connections = 0",
  ops_maintenance: "active = true",
};

describe("operations: database contract", () => {
  const getDb = databaseForSuite(contractDb);

  /** One row in each table, as the server would write it, then `work` as `who`, rolled back. */
  function withRows<T>(who: DemoUser | "anon", work: (q: Parameters<Parameters<ReturnType<typeof getDb>["rolledBack"]>[0]>[0]) => Promise<T>) {
    return getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      await rpc(q, "ops_metrics_record", { p_rows: [{ minute: MINUTE, route_group: "v1:items", requests: 1, histogram: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }] });
      await rpc(q, "ops_alert_apply", { p_rule: "error_rate", p_firing: true, p_value: 9, p_threshold: 5, p_summary: "x", p_now: MINUTE, p_cooldown_minutes: 60 });
      await rpc(q, "ops_job_run_record", { p_job: "alerts", p_started_at: MINUTE, p_finished_at: MINUTE, p_ok: true });
      await rpc(q, "ops_backup_record", { p_kind: "database", p_mode: "postgres", p_target: "b.sql", p_ok: true });
      await rpc(q, "ops_alert_figures", { p_now: MINUTE });
      await become(q, who);
      return work(q);
    });
  }

  it.each(TABLES)("admins read %s", async (table) => {
    const rows = await withRows("admin", (q) => q(`select * from public.${table}`));
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(TABLES)("other roles see no row of %s and anon is refused", async (table) => {
    for (const who of NON_ADMINS) {
      expect(await withRows(who, (q) => q(`select * from public.${table}`)), who).toEqual([]);
    }
    await expect(sqlAs(getDb(), "anon", `select 1 from public.${table}`)).rejects.toMatchObject({ code: "42501" });
  });

  it.each(TABLES)("nobody writes %s with a session, admins included", async (table) => {
    for (const who of ["admin", "manager", "acme"] as DemoUser[]) {
      await withRows(who, async (q) => {
        const del = await attempt(q, `delete from public.${table}`);
        expect(del.ok ? "ok" : del.error.code, who).toBe("42501");
        const upd = await attempt(q, `update public.${table} set ${UPDATES[table]}`);
        expect(upd.ok ? "ok" : upd.error.code, who).toBe("42501");
      });
    }
  });

  it("metric rows of the same minute and group add up, histogram bucket by bucket", async () => {
    const row = await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      const one = { minute: "2030-01-01T00:00:30Z", route_group: "v1:items", requests: 2, errors_5xx: 1, duration_ms_sum: 100, histogram: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0] };
      // Twice in one call, then once more in another.
      await rpc(q, "ops_metrics_record", { p_rows: [one, { ...one, histogram: [0, 0, 0, 0, 0, 0, 0, 1, 0, 1] }] });
      await rpc(q, "ops_metrics_record", { p_rows: [{ ...one, requests: 1, errors_5xx: 0, histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] }] });
      await becomeSuperuser(q);
      return (await q<{ minute: Date; requests: number; errors_5xx: number; histogram: number[] }>("select * from public.request_metrics where route_group = 'v1:items' and minute = '2030-01-01T00:00:00Z'"))[0];
    });
    expect(row).toMatchObject({ requests: 5, errors_5xx: 2, histogram: [1, 1, 0, 0, 0, 0, 0, 1, 0, 2] });
  });

  it("ops_status and ops_maintenance_set re-check the admin even for the service role", async () => {
    await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      for (const who of NON_ADMINS) {
        expect(await outcome(q, "ops_status", { p_since: MINUTE, p_actor: USERS[who].id }), who).toBe("forbidden");
        expect(await outcome(q, "ops_maintenance_set", { p_active: true, p_actor: USERS[who].id }), who).toBe("forbidden");
      }
      expect(await outcome(q, "ops_maintenance_set", { p_active: true })).toBe("unauthorized");
      expect(await outcome(q, "ops_status", { p_since: MINUTE, p_actor: USERS.admin.id })).toBe("ok");
      expect(await rpc(q, "ops_maintenance_set", { p_active: true, p_message: "m", p_actor: USERS.admin.id })).toMatchObject({ active: true, message: "m" });
      expect(await rpc(q, "ops_maintenance_state")).toMatchObject({ active: true, message: "m" });
    });
  });

  it("ops_alert_apply: fired once, quiet in the cooldown, a reminder after it, recovered once", async () => {
    const actions = await getDb().rolledBack(async (q) => {
      await become(q, "service_role");
      const step = async (firing: boolean, at: string) =>
        (await rpc<{ action: string | null }>(q, "ops_alert_apply", { p_rule: "p95", p_firing: firing, p_value: 1, p_threshold: 5, p_summary: "s", p_now: at, p_cooldown_minutes: 60 })).action;
      return [
        await step(true, "2030-01-01T00:00:00Z"),
        await step(true, "2030-01-01T00:30:00Z"),
        await step(true, "2030-01-01T01:00:00Z"),
        await step(false, "2030-01-01T01:05:00Z"),
        await step(false, "2030-01-01T01:10:00Z"),
      ];
    });
    expect(actions).toEqual(["fired", null, "reminder", "recovered", null]);
  });
});
