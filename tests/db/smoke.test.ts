import { describe, expect, it } from "vitest";
import { getMyProfile } from "@/lib/data/profiles";
import { openTestDatabase } from "../helpers/pglite";
import { as } from "../helpers/as";

const ctx = openTestDatabase();

describe("test database", () => {
  it("is migrated and seeded", async () => {
    await ctx;
    const me = await getMyProfile(as("acme"));
    expect(me?.email).toBe("customer@acme.test");
  });
});
