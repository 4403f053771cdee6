import { describe, expect, it } from "vitest";
import { parseForm } from "@/components/toolkit/use-form";
import { userCreateSchema, userPatchSchema } from "@/lib/schemas/users";

// What a form's `check` shows (components/toolkit/use-form.ts): the field errors of the payload as
// it is now, none once it is valid, whichever field was the one that changed.

const messageFor = (field: string) => `bad ${field}`;
const customerUser = { email: "kim@example.com", display_name: "Kim", role: "customer", password: "a long enough secret" };

describe("parseForm", () => {
  it("names each failing field once, with the form's own words", () => {
    const parsed = parseForm(userCreateSchema, { ...customerUser, email: "not an email", display_name: " " }, messageFor);
    expect(parsed.ok).toBe(false);
    expect(parsed.errors).toEqual({ email: "bad email", display_name: "bad display_name", customer_id: "bad customer_id" });
  });

  it("has no errors once the payload is valid, also when another field made it valid", () => {
    expect(parseForm(userCreateSchema, customerUser, messageFor).errors).toEqual({ customer_id: "bad customer_id" });
    // The role changes, the company field is not sent any more: its error goes with it.
    const parsed = parseForm(userCreateSchema, { ...customerUser, role: "korean_team" }, messageFor);
    expect(parsed).toEqual({ ok: true, data: { ...customerUser, role: "korean_team" }, errors: {} });
  });

  it("puts an issue of the whole payload at the root field", () => {
    expect(parseForm(userPatchSchema, {}, messageFor, "display_name").errors).toEqual({ display_name: "bad display_name" });
    expect(parseForm(userPatchSchema, {}, messageFor).errors).toEqual({ "": "bad " });
  });
});
