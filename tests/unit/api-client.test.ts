import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { apiTypes, TYPES_FILE } from "../../scripts/api-types";

// The typed client example (examples/api-client, compiled with the project by tsc in CI) uses
// types generated from the OpenAPI document: they must be the document's current ones.

describe("examples/api-client/duly-api.d.ts", () => {
  it("is what npm run api:types generates from the current document", async () => {
    const committed = await readFile(TYPES_FILE, "utf8");
    expect(committed === (await apiTypes()), "run npm run api:types and commit examples/api-client/duly-api.d.ts").toBe(true);
  }, 60_000);
});
