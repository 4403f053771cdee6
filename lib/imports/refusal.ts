// Why an import request was refused, as a key of messages/<locale>/imports.json: the reason a
// refused file carries (details.reason, from parsing), or the field the database named when it
// refused the target (details [{path: "location_id" | "customer_id"}]). The database's own
// message is English for developers; people read the catalogue's words for the code.

const TARGET_FIELDS = new Set(["location_id", "customer_id"]);

export function refusalKey(details: unknown): string | null {
  if (details && typeof details === "object" && !Array.isArray(details)) {
    const reason = (details as { reason?: unknown }).reason;
    return typeof reason === "string" ? `refused.${reason}` : null;
  }
  if (Array.isArray(details)) {
    const path = details.map((d) => (d && typeof d === "object" ? (d as { path?: unknown }).path : undefined)).find((p) => typeof p === "string" && TARGET_FIELDS.has(p));
    return typeof path === "string" ? `refused.${path}` : null;
  }
  return null;
}

/** The values a refusal's words take: a missing sheet's message names the sheets the file has, to pick from. */
export function refusalParams(details: unknown): Record<string, string> {
  if (!details || typeof details !== "object" || Array.isArray(details)) return {};
  const sheets = (details as { sheets?: unknown }).sheets;
  return Array.isArray(sheets) ? { sheets: sheets.filter((s) => typeof s === "string").join(", ") } : {};
}
