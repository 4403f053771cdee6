import { beforeAll, describe, expect, it } from "vitest";
import { inspectorOptions } from "@/components/inspections/inspectors";
import { pageNumber } from "@/components/inspections/page-number";
import { statusFilter } from "@/components/inspections/status-tabs";
import { getInspection, listInspections } from "@/lib/data/inspections";
import { actorOf, as } from "../helpers/as";
import { USERS, type DemoUser } from "../helpers/demo";
import { createUser } from "../helpers/fixtures";
import { openTestDatabase } from "../helpers/pglite";

// What the inspection pages compute on the server besides the data modules' own answers: the
// inspector choices offered to each staff role, and the queue's status and page parameters.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

const actor = (key: DemoUser) => actorOf(key);

async function anyInspection() {
  const list = await listInspections(as("manager"), { page: 1, limit: 1, status: "submitted" });
  return getInspection(as("manager"), list.data[0].id);
}

describe("inspectorOptions", () => {
  it.each(["admin", "manager", "korean", "chinese"] as const)(
    "offers %s every active staff member from the staff directory, themselves first, and no customer",
    async (who) => {
      const inspection = await anyInspection();
      const options = await inspectorOptions(actor(who), inspection, "me");
      expect(options[0]).toEqual({ id: USERS[who].id, name: "me" });
      const ids = options.map((o) => o.id);
      for (const staff of ["admin", "manager", "korean", "chinese"] as const) expect(ids).toContain(USERS[staff].id);
      expect(ids).not.toContain(USERS.acme.id);
      expect(ids).not.toContain(USERS.bluesky.id);
      expect(new Set(ids).size).toBe(ids.length);
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from public.profiles where active and role <> 'customer'");
      expect(options).toHaveLength(rows[0].n);
    },
  );

  it("keeps the current inspector even when no longer active, and leaves out other inactive staff", async () => {
    const q = async <T,>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows;
    const current = await createUser(q, { role: "korean_team", active: false });
    const other = await createUser(q, { role: "manager", active: false });
    const inspection = await anyInspection();
    const options = await inspectorOptions(actor("chinese"), { ...inspection, inspector_id: current.id, inspector_name: "Former inspector" }, "me");
    expect(options[1]).toEqual({ id: current.id, name: "Former inspector" });
    expect(options.map((o) => o.id)).not.toContain(other.id);
  });
});

describe("queue parameters", () => {
  it("reads ?status= as open (default), all, or one known status; anything else is open", () => {
    expect(statusFilter(undefined)).toEqual({ current: "open", open: true });
    expect(statusFilter("all")).toEqual({ current: "all" });
    expect(statusFilter("report_ready")).toEqual({ current: "report_ready", status: "report_ready" });
    expect(statusFilter("drop table")).toEqual({ current: "open", open: true });
    expect(statusFilter(["scheduled"])).toEqual({ current: "open", open: true });
  });

  it("reads ?page= as a whole page number from 1, else page 1", () => {
    expect(pageNumber("3")).toBe(3);
    for (const bad of [undefined, "", "0", "-2", "1.5", "abc", "99999999999", ["2"]]) expect(pageNumber(bad)).toBe(1);
  });
});
