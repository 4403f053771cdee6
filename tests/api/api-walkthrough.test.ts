import { beforeAll, describe, expect, it } from "vitest";
import { walkthrough, type WalkthroughInput } from "../../scripts/api-walkthrough";
import { USERS } from "../helpers/demo";
import { openTestDatabase } from "../helpers/pglite";
import { client, inProcessFetch } from "../helpers/router";

// scripts/api-walkthrough.ts (npm run api:walkthrough, the story of docs/api.md) run step by step
// against the app in this process, with the typed client of examples/api-client and nothing but
// personal access tokens and the OpenAPI document; every answer is checked against the document.
// So the script, the example client and the document cannot drift apart unnoticed.

let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];
beforeAll(async () => {
  ({ db } = await openTestDatabase());
});

async function token(user: "acme" | "korean" | "manager", scope: "read" | "read_write"): Promise<string> {
  const res = await client(user).post("/api/v1/tokens", { name: `walkthrough ${scope}`, scope, expires_in_days: 30 });
  expect(res.status).toBe(201);
  return res.body.data.token as string;
}

const quiet: string[] = [];
const base = (tokens: Omit<WalkthroughInput, "base" | "fetch" | "log">): WalkthroughInput => ({ base: "http://localhost", fetch: inProcessFetch, log: (l) => quiet.push(l), ...tokens });

describe("the API walkthrough", () => {
  it("lists a customer's goods and shipments and has a staff token's inbound approved and committed by a manager's", async () => {
    const input = base({ customerToken: await token("acme", "read"), staffToken: await token("korean", "read_write"), managerToken: await token("manager", "read_write") });
    const result = await walkthrough(input);
    expect(result.paths).toBeGreaterThan(50);
    expect(result.stock).toBeGreaterThan(0);
    expect(result.shipments).toBeGreaterThan(0);
    expect(result.flow).toMatchObject({ submitted: "submitted", status: "committed", number: expect.stringMatching(/^IN-\d{4}-\d{6}$/) });
    // Created by the staff token's user, approved and committed by the manager's.
    const [row] = (
      await db.query<{ created_by: string; approved_by: string; committed_by: string }>(`select created_by, approved_by, committed_by from public.flows where id = $1`, [result.flow.id])
    ).rows;
    expect(row).toEqual({ created_by: USERS.korean.id, approved_by: USERS.manager.id, committed_by: USERS.manager.id });
    expect(quiet.at(-1)).toMatch(/^manager: IN-\d{4}-\d{6} committed$/);
  });

  it("stops at the first refusal: a read token cannot create the inbound", async () => {
    const input = base({ customerToken: await token("acme", "read"), staffToken: await token("korean", "read"), managerToken: await token("manager", "read_write") });
    await expect(walkthrough(input)).rejects.toThrow("forbidden: This token may only read");
  });

  it("stops at the first refusal: a manager may not approve the flow their own token created", async () => {
    const manager = await token("manager", "read_write");
    const input = base({ customerToken: await token("acme", "read"), staffToken: manager, managerToken: manager });
    await expect(walkthrough(input)).rejects.toThrow(/^forbidden: /);
  });

  it("stops at the first refusal: a revoked customer token is not accepted", async () => {
    const created = await client("acme").post("/api/v1/tokens", { name: "revoked", scope: "read", expires_in_days: 30 });
    expect((await client("acme").del(`/api/v1/tokens/${created.body.data.id}`)).status).toBe(200);
    const input = base({ customerToken: created.body.data.token, staffToken: await token("korean", "read_write"), managerToken: await token("manager", "read_write") });
    await expect(walkthrough(input)).rejects.toThrow(/^unauthorized: /);
  });
});
