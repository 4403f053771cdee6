import { approveAndCommit, customerShipments, customerStock, dulyClient, receive } from "../examples/api-client/example";

// npm run api:walkthrough — the integration story of docs/api.md against a running server, with
// nothing but personal access tokens and the OpenAPI document:
//   DULY_URL=http://localhost:3000 DULY_CUSTOMER_TOKEN=duly_pat_… DULY_STAFF_TOKEN=duly_pat_… \
//   DULY_MANAGER_TOKEN=duly_pat_… npm run api:walkthrough
// The customer's token (read) lists its goods and shipments; the staff token (read_write)
// creates and submits an inbound; the manager's token (another user) approves and commits it.

const REQUIRED = ["GET /api/v1/portal/stock", "GET /api/v1/portal/shipments", "POST /api/v1/inbounds", "POST /api/v1/inbounds/{id}/submit", "POST /api/v1/flows/{id}/approve", "POST /api/v1/flows/{id}/commit"];

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`Set ${name}`);
  return v;
}

async function main() {
  const base = need("DULY_URL");
  const doc = (await (await fetch(new URL("/api/v1/openapi.json", base))).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const missing = REQUIRED.filter((r) => {
    const [method, path] = r.split(" ");
    return !doc.paths[path]?.[method.toLowerCase()];
  });
  if (missing.length) throw new Error(`The server's OpenAPI document lacks ${missing.join(", ")}`);
  console.log(`OpenAPI ${doc.openapi}: ${Object.keys(doc.paths).length} paths`);

  const customer = dulyClient(base, need("DULY_CUSTOMER_TOKEN"));
  const stock = await customerStock(customer);
  const shipments = await customerShipments(customer);
  console.log(`customer: ${stock.length} items in stock, ${shipments.length} shipments`);

  const staff = dulyClient(base, need("DULY_STAFF_TOKEN"));
  const locations = await staff.GET("/api/v1/locations", {});
  const items = await staff.GET("/api/v1/items", { params: { query: { limit: 1 } } });
  if (locations.error || items.error || typeof locations.data === "string" || typeof items.data === "string") throw new Error("could not read locations and items");
  const flow = await receive(staff, {
    locationId: String(locations.data.data[0].id),
    itemId: String(items.data.data[0].id),
    qty: 1,
    key: `walkthrough-${Date.now()}`,
  });
  console.log(`staff: ${String(flow.number)} ${String(flow.status)}`);
  const committed = await approveAndCommit(dulyClient(base, need("DULY_MANAGER_TOKEN")), String(flow.id));
  console.log(`manager: ${String(committed.number)} ${String(committed.status)}`);
  if (committed.status !== "committed") throw new Error("the flow was not committed");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
