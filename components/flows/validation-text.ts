// zod issues (from the shared schema in the browser, or the API's 422 details) to message keys
// under flows.validation. The schemas speak English; the form shows the user's language.

export type ValidationKey =
  | "required"
  | "number"
  | "qtyPositive"
  | "qtyNonZero"
  | "decimals"
  | "tooLarge"
  | "tooLong"
  | "sameLocation"
  | "duplicateItem"
  | "tooManyLines"
  | "noLines"
  | "invalid";

const BY_MESSAGE: Record<string, ValidationKey> = {
  "Must be above zero": "qtyPositive",
  "Must not be zero": "qtyNonZero",
  "At most 3 decimals": "decimals",
  "Too large": "tooLarge",
  "Must be a number": "number",
  "Must differ from from_location_id": "sameLocation",
  "Each item may appear only once": "duplicateItem",
  "At most 500 lines": "tooManyLines",
  "At least one line": "noLines",
  "Must be an id (UUID)": "required",
};

export function validationKey(issue: { path: string; message: string; code?: string }): ValidationKey {
  const known = BY_MESSAGE[issue.message];
  if (known) return known;
  if (issue.code === "too_big") return issue.path.endsWith("qty") ? "tooLarge" : "tooLong";
  if (issue.path.endsWith("qty")) return "number";
  if (issue.code === "invalid_type" || issue.code === "invalid_format") return "required";
  if (/^Too big/i.test(issue.message)) return "tooLong";
  return "invalid";
}
