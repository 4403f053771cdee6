import { beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../helpers/pglite";
import { CUSTOMERS, USERS } from "../helpers/demo";
import { client, type ApiResponse } from "../helpers/router";

// Customer isolation through the API: each customer tries every resource of the other company
// that it can name — inspection ids, their message threads and workflow steps, shipment and flow
// ids, the company itself — and gets 404 (or 403 for staff-only endpoints) every time, with
// nothing of the other company's in any response body, and nothing changed. And no customer
// response ever carries unit costs, internal notes or staff email addresses.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

beforeAll(async () => {
  ({ db } = await openTestDatabase());
  // Staff-side data the customers must never see: internal notes on both companies' applications.
  await db.query("update public.inspection_applications set internal_notes = 'INTERNAL-' || number where internal_notes is null");
});

type Company = "acme" | "bluesky";
const OTHER: Record<Company, Company> = { acme: "bluesky", bluesky: "acme" };
const NAME: Record<Company, RegExp> = { acme: /acme/i, bluesky: /blue ?sky|bsky/i };

type Victim = {
  inspections: { id: string; number: string }[];
  flows: { id: string; number: string }[];
  items: { id: string; sku: string }[];
};

async function victimData(company: Company): Promise<Victim> {
  const customer = CUSTOMERS[company];
  const inspections = (await db.query<{ id: string; number: string }>("select id, number from public.inspection_applications where customer_id = $1", [customer])).rows;
  // Every flow the attacker does not own as a shipment: the victim's, and staff-only ones.
  const flows = (
    await db.query<{ id: string; number: string }>(
      "select id, number from public.flows where not (kind = 'outbound' and customer_id = $1 and status <> 'draft')",
      [CUSTOMERS[OTHER[company]]],
    )
  ).rows;
  const items = (await db.query<{ id: string; sku: string }>("select id, sku from public.items where customer_id = $1", [customer])).rows;
  return { inspections, flows, items };
}

/** Fails when the body carries anything that names or identifies the victim company. */
function expectNothingOf(victim: Company, data: Victim, res: ApiResponse, context: string) {
  const text = JSON.stringify(res.body);
  expect(text, context).not.toMatch(NAME[victim]);
  expect(text, context).not.toContain(CUSTOMERS[victim]);
  expect(text, context).not.toContain(USERS[victim].id);
  expect(text, context).not.toContain(USERS[victim].email);
  for (const i of data.inspections) {
    expect(text, context).not.toContain(i.id);
    expect(text, context).not.toContain(i.number);
  }
  for (const item of data.items) {
    expect(text, context).not.toContain(item.id);
    expect(text, context).not.toContain(item.sku);
  }
}

/** Fails when a customer's answer carries staff-only fields or staff email addresses. */
function expectCustomerSafe(res: ApiResponse, context: string) {
  const text = JSON.stringify(res.body);
  expect(text, context).not.toMatch(/unit_cost|internal_notes|INTERNAL-|@duly\.test|reorder_point|"partner"|"note"/);
  for (const staff of [USERS.admin, USERS.manager, USERS.korean, USERS.chinese]) expect(text, context).not.toContain(staff.email);
}

async function snapshot(company: Company) {
  const customer = CUSTOMERS[company];
  const [inspections, messages, events, flows] = await Promise.all([
    db.query("select id, status, cancel_reason, internal_notes, updated_at from public.inspection_applications where customer_id = $1 order by id", [customer]),
    db.query("select id, read_by_customer_at, read_by_staff_at from public.messages where customer_id = $1 order by id", [customer]),
    db.query("select count(*)::int as n from public.inspection_events where customer_id = $1", [customer]),
    db.query("select id, status, updated_at from public.flows order by id"),
  ]);
  return JSON.stringify([inspections.rows, messages.rows, events.rows, flows.rows]);
}

describe.each(["bluesky", "acme"] as const)("customer %s against the other company", (attacker) => {
  const victim = OTHER[attacker];
  const api = client(attacker);
  let data: Victim;
  let before: string;

  beforeAll(async () => {
    data = await victimData(victim);
    expect(data.inspections.length).toBeGreaterThan(3);
    expect(data.flows.length).toBeGreaterThan(3);
    before = await snapshot(victim);
  });

  it("every inspection id of the other company: 404 to read, its thread, writing in it, marking it read, cancelling", async () => {
    for (const { id } of data.inspections) {
      const attempts: [string, Promise<ApiResponse>][] = [
        ["GET inspection", api.get(`/api/v1/inspections/${id}`)],
        ["GET thread", api.get(`/api/v1/inspections/${id}/messages`)],
        ["POST message", api.post(`/api/v1/inspections/${id}/messages`, { body: "Who is there?" })],
        ["POST read mark", api.post("/api/v1/messages", { inspection_id: id })],
        ["POST cancel", api.post(`/api/v1/inspections/${id}/cancel`, { reason: "mine now" })],
      ];
      for (const [label, pending] of attempts) {
        const res = await pending;
        expect(res.status, `${label} ${id}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
        expectNothingOf(victim, data, res, `${label} ${id}`);
      }
    }
  });

  it("the staff-only steps on those ids: 403 without looking at the id", async () => {
    for (const { id } of data.inspections) {
      const attempts: [string, Promise<ApiResponse>][] = [
        ["schedule", api.post(`/api/v1/inspections/${id}/schedule`, { scheduled_date: "2030-01-01", inspector_id: USERS.chinese.id })],
        ["start", api.post(`/api/v1/inspections/${id}/start`)],
        ["report", api.post(`/api/v1/inspections/${id}/report`, { result: "fail" })],
        ["complete", api.post(`/api/v1/inspections/${id}/complete`, { result: "fail" })],
        ["notes", api.patch(`/api/v1/inspections/${id}`, { internal_notes: "x" })],
      ];
      for (const [label, pending] of attempts) {
        const res = await pending;
        expect(res.status, `${label} ${id}`).toBe(403);
        expectNothingOf(victim, data, res, `${label} ${id}`);
      }
    }
  });

  it("an id the same for 'exists elsewhere' and 'never existed': the answers are identical", async () => {
    const real = await api.get(`/api/v1/inspections/${data.inspections[0].id}`);
    const fake = await api.get("/api/v1/inspections/00000000-0000-4000-8000-00000000beef");
    expect(real.status).toBe(fake.status);
    expect(real.body).toEqual(fake.body);
  });

  it("every flow it does not own as a shipment: 404 in the portal, 403 on the staff flow endpoints", async () => {
    for (const { id } of data.flows) {
      const portal = await api.get(`/api/v1/portal/shipments/${id}`);
      expect(portal.status, id).toBe(404);
      expectNothingOf(victim, data, portal, `portal shipment ${id}`);
      for (const url of [`/api/v1/flows/${id}`, `/api/v1/outbounds/${id}`]) {
        const res = await api.get(url);
        expect(res.status, url).toBe(403);
        expectNothingOf(victim, data, res, url);
      }
    }
  });

  it("the other company, its items and filters naming it: 403 or an empty answer", async () => {
    const checks: [string, number][] = [
      [`/api/v1/customers/${CUSTOMERS[victim]}`, 403],
      ["/api/v1/customers", 403],
      [`/api/v1/items?customer_id=${CUSTOMERS[victim]}`, 403],
      [`/api/v1/stocks`, 403],
      [`/api/v1/flows?customer_id=${CUSTOMERS[victim]}`, 403],
      [`/api/v1/inspections?customer_id=${CUSTOMERS[victim]}`, 200],
      [`/api/v1/inspections?q=${encodeURIComponent(data.inspections[0].number)}`, 200],
      [`/api/v1/portal/stock?q=${encodeURIComponent(data.items[0].sku)}`, 200],
    ];
    for (const item of data.items) checks.push([`/api/v1/items/${item.id}`, 403]);
    for (const [url, status] of checks) {
      const res = await api.get(url);
      expect(res.status, url).toBe(status);
      if (status === 200) expect(res.body.count, url).toBe(0);
      expectNothingOf(victim, data, res, url);
    }
  });

  it("applying for the other company is 404 and writes nothing", async () => {
    const res = await api.post("/api/v1/inspections", {
      customer_id: CUSTOMERS[victim],
      product: "Spoofed",
      factory_name: "Spoof Factory",
      inspection_type: "loading",
      requested_date: "2030-01-01",
    });
    expect(res.status).toBe(404);
    expectNothingOf(victim, data, res, "apply for other");
    expect((await db.query("select 1 from public.inspection_applications where product = 'Spoofed'")).rows).toEqual([]);
  });

  it("its own answers carry nothing of the other company's, and nothing staff-only", async () => {
    const urls = ["/api/v1/inspections?limit=100", "/api/v1/messages", "/api/v1/portal/shipments?limit=100", "/api/v1/portal/stock?limit=100", "/api/v1/auth/me"];
    const own = await api.get("/api/v1/inspections?limit=100");
    expect(own.body.count).toBeGreaterThan(0);
    for (const row of own.body.data as { id: string }[]) {
      urls.push(`/api/v1/inspections/${row.id}`, `/api/v1/inspections/${row.id}/messages`);
    }
    const shipments = await api.get("/api/v1/portal/shipments?limit=100");
    for (const row of shipments.body.data as { id: string }[]) urls.push(`/api/v1/portal/shipments/${row.id}`);
    for (const url of urls) {
      const res = await api.get(url);
      expect(res.status, url).toBe(200);
      expectNothingOf(victim, data, res, url);
      expectCustomerSafe(res, url);
    }
  });

  it("its writes answer without staff-only fields either", async () => {
    const made = await api.post("/api/v1/inspections", {
      product: "Isolation widget",
      factory_name: "Isolation Factory",
      inspection_type: "loading",
      requested_date: "2030-01-01",
    });
    expect(made.status).toBe(201);
    expectCustomerSafe(made, "create");
    const sent = await api.post(`/api/v1/inspections/${made.body.data.id}/messages`, { body: "hello" });
    expectCustomerSafe(sent, "message");
    const cancelled = await api.post(`/api/v1/inspections/${made.body.data.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expectCustomerSafe(cancelled, "cancel");
    expectNothingOf(victim, data, cancelled, "cancel");
  });

  it("after all of it, nothing of the other company's changed", async () => {
    expect(await snapshot(victim)).toBe(before);
  });
});
