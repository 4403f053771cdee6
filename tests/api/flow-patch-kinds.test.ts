import { beforeAll, describe, expect, it } from "vitest";
import { FLOW_KINDS, KIND_PATHS, type FlowKind } from "@/lib/schemas/flows";
import { openTestDatabase } from "../helpers/pglite";
import { client } from "../helpers/router";

// PATCH validates a draft with its own kind's rules, whether it comes through the kind's endpoint
// (/api/v1/transfers/:id) or the all-kinds one (/api/v1/flows/:id).

const SEL = "10000000-0000-4000-8000-000000000001";
const YIW = "10000000-0000-4000-8000-000000000002";

const korean = client("korean");
let itemId: string;

function createBody(kind: FlowKind) {
  const lines = [{ item_id: itemId, qty: 2 }];
  return kind === "transfer" ? { from_location_id: SEL, to_location_id: YIW, lines } : { location_id: SEL, lines };
}

/** A change only this kind accepts, and what the flow looks like after it. */
const accepted: Record<FlowKind, { patch: () => Record<string, unknown>; expect: () => Record<string, unknown> }> = {
  inbound: { patch: () => ({ location_id: YIW }), expect: () => ({ to_location_id: YIW }) },
  outbound: { patch: () => ({ location_id: YIW }), expect: () => ({ from_location_id: YIW }) },
  transfer: { patch: () => ({ from_location_id: YIW, to_location_id: SEL }), expect: () => ({ from_location_id: YIW, to_location_id: SEL }) },
  adjustment: { patch: () => ({ lines: [{ item_id: itemId, qty: -1 }] }), expect: () => ({ lines: [expect.objectContaining({ qty: -1 })] }) },
};

beforeAll(async () => {
  await openTestDatabase();
  const created = await korean.post("/api/v1/items", { sku: "TEST-PATCH-KIND", name_ko: "수정 품목", reorder_point: 1, unit_cost: 100 });
  expect(created.status).toBe(201);
  itemId = created.body.data.id;
});

describe.each(FLOW_KINDS)("PATCH a %s draft", (kind) => {
  for (const path of ["kind", "flows"] as const) {
    const url = (id: string) => (path === "kind" ? `/api/v1/${KIND_PATHS[kind]}/${id}` : `/api/v1/flows/${id}`);

    it(`accepts the kind's own change through /${path === "kind" ? KIND_PATHS[kind] : "flows"}/:id`, async () => {
      const created = await korean.post(`/api/v1/${KIND_PATHS[kind]}`, createBody(kind));
      expect(created.status).toBe(201);
      const res = await korean.patch(url(created.body.data.id), accepted[kind].patch());
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject(accepted[kind].expect());
    });

    it(`refuses what the kind forbids through /${path === "kind" ? KIND_PATHS[kind] : "flows"}/:id, changing nothing`, async () => {
      const created = await korean.post(`/api/v1/${KIND_PATHS[kind]}`, createBody(kind));
      const id = created.body.data.id;
      // Zero is refused for every kind; a negative quantity for all but adjustments.
      const bad = kind === "adjustment" ? { lines: [{ item_id: itemId, qty: 0 }] } : { lines: [{ item_id: itemId, qty: -1 }] };
      const res = await korean.patch(url(id), bad);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "validation_failed", details: [{ path: "lines.0.qty" }] });
      // Another kind's location fields are not this kind's: nothing left to update.
      const foreign = kind === "transfer" ? { location_id: YIW } : { from_location_id: YIW, to_location_id: SEL };
      const none = await korean.patch(url(id), foreign);
      expect(none.status).toBe(422);
      const after = await korean.get(url(id));
      expect(after.body.data.lines[0].qty).toBe(2);
      expect(after.body.data).toMatchObject(createBody(kind).location_id ? {} : { from_location_id: SEL, to_location_id: YIW });
    });
  }
});
