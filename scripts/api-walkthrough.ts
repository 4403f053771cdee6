import path from "node:path";
import { approveAndCommit, customerShipments, customerStock, dulyClient, receive } from "../examples/api-client/example";

// npm run api:walkthrough — the integration story of docs/api.md against a running server, with
// nothing but personal access tokens and the OpenAPI document:
//   DULY_URL=http://localhost:3000 DULY_CUSTOMER_TOKEN=duly_pat_… DULY_STAFF_TOKEN=duly_pat_… \
//   DULY_MANAGER_TOKEN=duly_pat_… npm run api:walkthrough
// The customer's token (read) lists its goods and shipments; the staff token (read_write)
// creates and submits an inbound; the manager's token (another user) approves and commits it.
// tests/api/api-walkthrough.test.ts runs the same steps against the app in process.

export const REQUIRED = [
  "GET /api/v1/portal/stock",
  "GET /api/v1/portal/shipments",
  "GET /api/v1/locations",
  "GET /api/v1/items",
  "POST /api/v1/inbounds",
  "POST /api/v1/inbounds/{id}/submit",
  "POST /api/v1/flows/{id}/approve",
  "POST /api/v1/flows/{id}/commit",
];

export type WalkthroughInput = {
  base: string;
  customerToken: string;
  staffToken: string;
  managerToken: string;
  /** Another transport than the global fetch. */
  fetch?: typeof globalThis.fetch;
  log?: (line: string) => void;
};

export type WalkthroughResult = {
  paths: number;
  stock: number;
  shipments: number;
  flow: { id: string; number: string; status: string; submitted: string };
};

export async function walkthrough(input: WalkthroughInput): Promise<WalkthroughResult> {
  const { base, fetch = globalThis.fetch, log = console.log } = input;
  const res = await fetch(new URL("/api/v1/openapi.json", base));
  if (!res.ok) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const missing = REQUIRED.filter((r) => {
    const [method, p] = r.split(" ");
    return !doc.paths[p]?.[method.toLowerCase()];
  });
  if (missing.length) throw new Error(`The server's OpenAPI document lacks ${missing.join(", ")}`);
  const paths = Object.keys(doc.paths).length;
  log(`OpenAPI ${doc.openapi}: ${paths} paths`);

  const customer = dulyClient(base, input.customerToken, fetch);
  const stock = await customerStock(customer);
  const shipments = await customerShipments(customer);
  log(`customer: ${stock.length} items in stock, ${shipments.length} shipments`);

  const staff = dulyClient(base, input.staffToken, fetch);
  const locations = await staff.GET("/api/v1/locations", {});
  const items = await staff.GET("/api/v1/items", { params: { query: { limit: 1 } } });
  if (locations.error || items.error || typeof locations.data === "string" || typeof items.data === "string") throw new Error("could not read locations and items");
  if (!locations.data.data.length || !items.data.data.length) throw new Error("the staff token sees no warehouse or no item");
  const flow = await receive(staff, {
    locationId: String(locations.data.data[0].id),
    itemId: String(items.data.data[0].id),
    qty: 1,
    key: `walkthrough-${Date.now()}`,
  });
  log(`staff: ${String(flow.number)} ${String(flow.status)}`);
  const committed = await approveAndCommit(dulyClient(base, input.managerToken, fetch), String(flow.id));
  log(`manager: ${String(committed.number)} ${String(committed.status)}`);
  if (committed.status !== "committed") throw new Error("the flow was not committed");
  return { paths, stock: stock.length, shipments: shipments.length, flow: { id: String(committed.id), number: String(committed.number), status: String(committed.status), submitted: String(flow.status) } };
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`Set ${name}`);
  return v;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  (async () => {
    await walkthrough({
      base: need("DULY_URL"),
      customerToken: need("DULY_CUSTOMER_TOKEN"),
      staffToken: need("DULY_STAFF_TOKEN"),
      managerToken: need("DULY_MANAGER_TOKEN"),
    });
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
