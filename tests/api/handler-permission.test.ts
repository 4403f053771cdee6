import { beforeAll, describe, expect, it } from "vitest";
import { READ_RECORDS, WRITE_RECORDS } from "@/lib/auth/permissions";
import { handler, ok } from "@/lib/http/handler";
import type { DemoUser } from "../helpers/demo";
import { invoke, request } from "../helpers/http";
import { openTestDatabase } from "../helpers/pglite";
import { tokenFor } from "../helpers/router";

// handler()'s permission: one action, or a list of which any one will do; checked before the
// route's own code runs, with 403 forbidden for a signed-in user who may do none of them.

beforeAll(async () => {
  await openTestDatabase();
});

let ran = 0;
const routeWith = (permission: Parameters<typeof handler>[0]["permission"]) =>
  handler({ permission }, async () => {
    ran++;
    return ok({ ran: true });
  });

async function statusFor(route: ReturnType<typeof routeWith>, who: DemoUser): Promise<number> {
  const req = request("GET", "/api/v1/probe", { headers: { authorization: `Bearer ${await tokenFor(who)}` } });
  return (await invoke(route, req, {}, { documented: false })).status;
}

describe("handler({ permission })", () => {
  it("one action: allowed roles reach the route, others get 403 and the route never runs", async () => {
    const route = routeWith("flows:approve");
    expect(await statusFor(route, "manager")).toBe(200);
    const before = ran;
    expect(await statusFor(route, "korean")).toBe(403);
    expect(await statusFor(route, "acme")).toBe(403);
    expect(ran).toBe(before);
  });

  it("several actions: any one of them lets the caller in", async () => {
    const route = routeWith(["flows:approve", "own-records:read"]);
    expect(await statusFor(route, "manager")).toBe(200); // flows:approve
    expect(await statusFor(route, "acme")).toBe(200); // own-records:read
    expect(await statusFor(route, "korean")).toBe(403); // neither
    expect(await statusFor(route, "chinese")).toBe(403);
  });

  it("the records lists serve staff and customers; staff-only lists still refuse customers", async () => {
    for (const who of ["admin", "chinese", "acme"] as const) {
      expect(await statusFor(routeWith(READ_RECORDS), who), who).toBe(200);
      expect(await statusFor(routeWith(WRITE_RECORDS), who), who).toBe(200);
    }
    expect(await statusFor(routeWith(["records:read", "records:write"]), "acme")).toBe(403);
  });

  it("an empty list allows no one", async () => {
    const route = routeWith([]);
    for (const who of ["admin", "acme"] as const) expect(await statusFor(route, who), who).toBe(403);
  });

  it("without a session the answer is 401, not 403", async () => {
    const res = await invoke(routeWith(READ_RECORDS), request("GET", "/api/v1/probe"), {}, { documented: false });
    expect(res.status).toBe(401);
  });
});
