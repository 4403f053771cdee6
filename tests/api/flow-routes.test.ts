import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as itemGet, PATCH as itemPatch } from "@/app/api/v1/[kind]/[id]/route";
import { POST as actionPost } from "@/app/api/v1/[kind]/[id]/[action]/route";
import { GET as kindGet, POST as kindPost } from "@/app/api/v1/[kind]/route";
import { FLOW_ACTIONS } from "@/lib/schemas/flows";
import { bodyOf, expectIdentityHeaders, invoke, request as plainRequest } from "../helpers/http";
import { openTestDatabase } from "../helpers/pglite";
import { client, request } from "../helpers/router";

// The flow endpoints are three dynamic route files (app/api/v1/[kind], [kind]/[id],
// [kind]/[id]/[action]) that pick one handler per kind and action. Here: every URL they served
// as separate files still answers, with the permission its action needs (allowed and denied per
// role and per token scope); a kind or action outside the enums is the JSON 404 of an unknown
// API path, before any sign-in; and each kind goes through its whole workflow on its own URLs.

const SEL = "10000000-0000-4000-8000-000000000001";
const YIW = "10000000-0000-4000-8000-000000000002";
const KINDS = ["inbounds", "outbounds", "transfers", "adjustments"] as const;
const SEGMENTS = ["flows", ...KINDS] as const;
const MANAGER_ONLY = new Set(["approve", "commit"]);

const korean = client("korean");
const chinese = client("chinese");
const manager = client("manager");
const acme = client("acme");
let itemId: string;

beforeAll(async () => {
  await openTestDatabase();
  const created = await korean.post("/api/v1/items", { sku: "TEST-ROUTES-1", name_ko: "경로 시험 품목", reorder_point: 0, unit_cost: 100 });
  expect(created.status).toBe(201);
  itemId = created.body.data.id;
});

const NO_SUCH = { error: { code: "not_found", message: "No such API endpoint" } };
/** URLs outside the enums are no paths of the OpenAPI document, on purpose: their answers are not checked against it. */
const UNDOCUMENTED = { documented: false };

describe("kinds and actions outside the enums", () => {
  it("answer the unknown-path 404 before any sign-in, on each of the three routes", async () => {
    const id = randomUUID();
    const cases: [string, Response][] = [
      ["GET /api/v1/widgets", await invoke(kindGet, plainRequest("GET", "/api/v1/widgets"), { kind: "widgets" }, UNDOCUMENTED)],
      ["POST /api/v1/flows", await invoke(kindPost, plainRequest("POST", "/api/v1/flows", { body: {} }), { kind: "flows" }, UNDOCUMENTED)],
      ["GET /api/v1/inbound/:id", await invoke(itemGet, plainRequest("GET", `/api/v1/inbound/${id}`), { kind: "inbound", id }, UNDOCUMENTED)],
      ["PATCH /api/v1/widgets/:id", await invoke(itemPatch, plainRequest("PATCH", `/api/v1/widgets/${id}`, { body: {} }), { kind: "widgets", id }, UNDOCUMENTED)],
      ["POST /api/v1/inbounds/:id/publish", await invoke(actionPost, plainRequest("POST", `/api/v1/inbounds/${id}/publish`), { kind: "inbounds", id, action: "publish" }, UNDOCUMENTED)],
      ["POST /api/v1/widgets/:id/submit", await invoke(actionPost, plainRequest("POST", `/api/v1/widgets/${id}/submit`), { kind: "widgets", id, action: "submit" }, UNDOCUMENTED)],
      ["POST /api/v1/Inbounds/:id/SUBMIT", await invoke(actionPost, plainRequest("POST", `/api/v1/Inbounds/${id}/SUBMIT`), { kind: "Inbounds", id, action: "SUBMIT" }, UNDOCUMENTED)],
    ];
    for (const [what, res] of cases) {
      expect(res.status, what).toBe(404);
      expect(await bodyOf(res), what).toEqual(NO_SUCH);
      expectIdentityHeaders(res);
    }
  });

  it("a kind and action inside the enums reach their handler: anonymous is 401 there, not 404", async () => {
    const id = randomUUID();
    const res = await invoke(actionPost, plainRequest("POST", `/api/v1/transfers/${id}/cancel`, { body: {} }), { kind: "transfers", id, action: "cancel" });
    expect(res.status).toBe(401);
    expect((await bodyOf<{ error: { code: string } }>(res)).error.code).toBe("unauthorized");
  });
});

describe("every URL of the flow routes, with the permission of its action", () => {
  it("anonymous: 401 on each list, flow and action URL", async () => {
    const id = randomUUID();
    for (const kind of KINDS) {
      expect((await request("GET", `/api/v1/${kind}`)).status, kind).toBe(401);
      expect((await request("POST", `/api/v1/${kind}`, { body: {} })).status, kind).toBe(401);
    }
    for (const seg of SEGMENTS) {
      expect((await request("GET", `/api/v1/${seg}/${id}`)).status, seg).toBe(401);
      expect((await request("PATCH", `/api/v1/${seg}/${id}`, { body: {} })).status, seg).toBe(401);
      for (const action of FLOW_ACTIONS) expect((await request("POST", `/api/v1/${seg}/${id}/${action}`, { body: {} })).status, `${seg} ${action}`).toBe(401);
    }
  });

  it("approve and commit: managers pass the permission (then 404 for an unknown flow), korean_team and chinese_staff get 403", async () => {
    const id = randomUUID();
    for (const seg of SEGMENTS) {
      for (const action of FLOW_ACTIONS) {
        const url = `/api/v1/${seg}/${id}/${action}`;
        const body = action === "cancel" || action === "reverse" ? {} : undefined;
        expect((await manager.post(url, body)).status, `manager ${url}`).toBe(404);
        const expected = MANAGER_ONLY.has(action) ? 403 : 404;
        expect((await korean.post(url, body)).status, `korean ${url}`).toBe(expected);
        expect((await chinese.post(url, body)).status, `chinese ${url}`).toBe(expected);
      }
    }
  });

  it("customers get 403 on every flow URL", async () => {
    const id = randomUUID();
    for (const kind of KINDS) expect((await acme.get(`/api/v1/${kind}`)).status, kind).toBe(403);
    for (const seg of SEGMENTS) {
      expect((await acme.get(`/api/v1/${seg}/${id}`)).status, seg).toBe(403);
      for (const action of FLOW_ACTIONS) expect((await acme.post(`/api/v1/${seg}/${id}/${action}`, {})).status, `${seg} ${action}`).toBe(403);
    }
  });

  it("a read token reads every kind's list and flow, and gets 403 on every write URL", async () => {
    const created = await manager.post("/api/v1/tokens", { name: "routes read", scope: "read", expires_in_days: 30 });
    const token = created.body.data.token as string;
    const flow = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    const as = (method: string, url: string, body?: unknown) => request(method, url, { body, token, headers: { origin: "" } });
    for (const kind of KINDS) {
      expect((await as("GET", `/api/v1/${kind}`)).status, kind).toBe(200);
      expect((await as("POST", `/api/v1/${kind}`, {})).status, kind).toBe(403);
    }
    expect((await as("GET", `/api/v1/inbounds/${flow.body.data.id}`)).status).toBe(200);
    expect((await as("GET", `/api/v1/flows/${flow.body.data.id}`)).status).toBe(200);
    for (const seg of SEGMENTS) {
      expect((await as("PATCH", `/api/v1/${seg}/${flow.body.data.id}`, {})).status, seg).toBe(403);
      for (const action of FLOW_ACTIONS) expect((await as("POST", `/api/v1/${seg}/${flow.body.data.id}/${action}`, {})).status, `${seg} ${action}`).toBe(403);
    }
    expect((await manager.get(`/api/v1/flows/${flow.body.data.id}`)).body.data.status).toBe("draft");
  });
});

describe("each kind through its whole workflow on its own URLs", () => {
  const bodies: Record<(typeof KINDS)[number], Record<string, unknown>> = {
    inbounds: { location_id: SEL, lines: [{ item_id: "", qty: 5 }] },
    outbounds: { location_id: SEL, lines: [{ item_id: "", qty: 1 }] },
    transfers: { from_location_id: SEL, to_location_id: YIW, lines: [{ item_id: "", qty: 1 }] },
    adjustments: { location_id: SEL, lines: [{ item_id: "", qty: -1 }] },
  };
  for (const kind of KINDS) {
    it(`${kind}: create, edit, submit, approve, commit, reverse; then the same through /flows`, async () => {
      for (const seg of [kind, "flows"]) {
        const body = { ...bodies[kind], lines: [{ item_id: itemId, qty: (bodies[kind].lines as { qty: number }[])[0].qty }] };
        const created = await korean.post(`/api/v1/${kind}`, body);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const id = created.body.data.id;
        expect((await korean.patch(`/api/v1/${seg}/${id}`, { note: `via ${seg}` })).body.data.note).toBe(`via ${seg}`);
        expect((await korean.get(`/api/v1/${seg}/${id}`)).body.data.kind).toBe(kind.slice(0, -1));
        expect((await korean.post(`/api/v1/${seg}/${id}/submit`)).body.data.status).toBe("submitted");
        expect((await manager.post(`/api/v1/${seg}/${id}/approve`)).body.data.status).toBe("approved");
        const committed = await manager.post(`/api/v1/${seg}/${id}/commit`);
        expect(committed.status, JSON.stringify(committed.body)).toBe(200);
        expect(committed.body.data.status).toBe("committed");
        const reversed = await korean.post(`/api/v1/${seg}/${id}/reverse`, { note: "routes test" });
        expect(reversed.status, JSON.stringify(reversed.body)).toBe(201);
        expect(reversed.body.data.id).not.toBe(id);
        // The reversal of an inbound is an outbound (and the other way round): it is cancelled under its own kind's URL.
        const reversalSeg = seg === "flows" ? "flows" : `${reversed.body.data.kind}s`;
        expect(reversed.body.data.kind).toBe({ inbounds: "outbound", outbounds: "inbound", transfers: "transfer", adjustments: "adjustment" }[kind]);
        const cancelled = await korean.post(`/api/v1/${reversalSeg}/${reversed.body.data.id}/cancel`, { reason: "routes test" });
        expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
        expect(cancelled.body.data.status).toBe("cancelled");
      }
    });
  }

  it("a flow is not found under another kind's URL, for reads, edits and actions alike", async () => {
    const created = await korean.post("/api/v1/inbounds", { location_id: SEL, lines: [{ item_id: itemId, qty: 1 }] });
    const id = created.body.data.id;
    expect((await korean.get(`/api/v1/outbounds/${id}`)).status).toBe(404);
    expect((await korean.patch(`/api/v1/transfers/${id}`, { note: "x" })).status).toBe(404);
    expect((await korean.post(`/api/v1/adjustments/${id}/submit`)).status).toBe(404);
    expect((await korean.get(`/api/v1/inbounds/${id}`)).body.data.status).toBe("draft");
  });
});
