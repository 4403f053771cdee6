// Why an import request was refused, as a key of messages/<locale>/imports.json: the reason a
// refused file carries (details.reason, from parsing), or the field the database named when it
// refused the target (details [{path: "location_id" | "customer_id"}]). The database's own
// message is English for developers; people read the catalogue's words for the code.

const TARGET_FIELDS = new Set(["location_id", "customer_id"]);

export function refusalKey(details: unknown): string | null {
  if (details && typeof details === "object" && !Array.isArray(details)) {
    const { reason, sheet } = details as { reason?: unknown; sheet?: unknown };
    if (typeof reason !== "string") return null;
    // A CSV file has no sheets: its long cell is named by row and column alone.
    return reason === "cell_too_long" && typeof sheet !== "string" ? "refused.cell_too_long_csv" : `refused.${reason}`;
  }
  if (Array.isArray(details)) {
    const path = details.map((d) => (d && typeof d === "object" ? (d as { path?: unknown }).path : undefined)).find((p) => typeof p === "string" && TARGET_FIELDS.has(p));
    return typeof path === "string" ? `refused.${path}` : null;
  }
  return null;
}

/**
 * The values a refusal's words take: a missing sheet's message names the sheets the file has, to
 * pick from; a too long cell's names where it is (sheet, row, column).
 */
export function refusalParams(details: unknown): Record<string, string> {
  if (!details || typeof details !== "object" || Array.isArray(details)) return {};
  const { sheets, sheet, row, column } = details as { sheets?: unknown; sheet?: unknown; row?: unknown; column?: unknown };
  const params: Record<string, string> = {};
  if (Array.isArray(sheets)) params.sheets = sheets.filter((s) => typeof s === "string").join(", ");
  if (typeof sheet === "string") params.sheet = sheet;
  if (typeof row === "number") params.row = String(row);
  if (typeof column === "string") params.column = column;
  return params;
}
