// What each list's file holds: the columns in order, each with the catalogue key of its header
// (messages/<locale>/exports.json, columns.<key>), a type that decides how the value is written
// and formatted, a width in characters, and for a column of codes (a status, a kind, a role) the
// catalogue entry holding their words (`flows.statuses`): files say "초안", never `draft`.

export type ColumnType = "text" | "int" | "qty" | "krw" | "date" | "datetime" | "bool";
export type Column = { key: string; type: ColumnType; width: number; labels?: string };

const WIDTH: Record<ColumnType, number> = { text: 18, int: 10, qty: 12, krw: 14, date: 12, datetime: 19, bool: 8 };

/**
 * `"sku:text:16"`-style shorthand: key, type (text by default) and width (by type by default);
 * `"status:text:12@flows.statuses"` names the catalogue entry with the words for its codes.
 */
function cols(...specs: string[]): readonly Column[] {
  return specs.map((spec) => {
    const [s, labels] = spec.split("@") as [string, string?];
    const [key, type = "text", width] = s.split(":") as [string, ColumnType?, string?];
    return { key, type, width: width ? Number(width) : WIDTH[type], ...(labels ? { labels } : {}) };
  });
}

const itemNames = ["sku:text:16", "name_ko:text:28", "name_zh:text:28", "name_en:text:28", "unit:text:8"];
const flowLine = ["line_no:int:8", ...itemNames, "qty:qty"];

export const COLUMNS = {
  items: cols(
    ...itemNames,
    "engine_code",
    "barcode:text:16",
    "reorder_point:qty",
    "unit_cost:krw",
    "on_hand:qty",
    "customer_name:text:24",
    "active:bool",
    "created_at:datetime",
    "updated_at:datetime",
  ),
  stocks: cols(
    ...itemNames,
    "location_code:text:12",
    "location_name:text:24",
    "on_hand:qty",
    "item_on_hand:qty",
    "reorder_point:qty",
    "shortage:qty",
    "unit_cost:krw",
    "updated_at:datetime",
  ),
  ledger: cols("id:int:12", "created_at:datetime", "flow_number:text:16", "flow_kind:text:12@flows.kinds", "sku:text:16", "name_ko:text:28", "location_code:text:12", "delta:qty", "balance_after:qty"),
  flows: cols(
    "number:text:16",
    "kind:text:12@flows.kinds",
    "status:text:12@flows.statuses",
    "created_at:datetime",
    "from_location_code:text:12",
    "to_location_code:text:12",
    "customer_name:text:24",
    "partner:text:24",
    "reference",
    "note:text:30",
    "created_by_name",
    "submitted_at:datetime",
    "approved_at:datetime",
    "committed_at:datetime",
    "cancelled_at:datetime",
    ...flowLine,
  ),
  customers: cols(
    "code:text:12",
    "name:text:28",
    "business_number:text:16",
    "contact_name",
    "email:text:28",
    "phone:text:16",
    "address:text:40",
    "active:bool",
    "user_count:int",
    "open_inspections:int",
    "created_at:datetime",
  ),
  users: cols("email:text:30", "display_name:text:20", "role:text:14@common.roles", "customer_name:text:24", "locale:text:8@common.languages", "active:bool", "created_at:datetime"),
  /** The audit log in words (lib/audit/describe.ts): no table names, ids or raw values. */
  audit: cols(
    "audit_time:datetime",
    "audit_actor:text:20",
    "audit_actor_email:text:28",
    "audit_event:text:18",
    "audit_record_type:text:14",
    "audit_record:text:28",
    "audit_changes:text:60",
    "security_event:bool:10",
  ),
  /** Inspections as customers see them: never internal notes or anyone's email. */
  inspections: cols(
    "number:text:16",
    "status:text:14@inspections.statuses",
    "inspection_type:text:16@inspections.types",
    "customer_name:text:24",
    "product:text:28",
    "quantity:qty",
    "factory_name:text:24",
    "factory_address:text:32",
    "requested_date:date",
    "scheduled_date:date",
    "result:text:10@inspections.results",
    "inspector_name",
    "notes:text:30",
    "created_at:datetime",
    "completed_at:datetime",
    "updated_at:datetime",
  ),
  portalStock: cols(...itemNames, "on_hand:qty", "locations:text:30"),
  portalShipments: cols("number:text:16", "status:text:12@flows.statuses", "reference", "from_location_code:text:12", "created_at:datetime", "committed_at:datetime", ...flowLine),
  documents: cols("file_name:text:36", "kind:text:10@inspections.upload.kinds", "inspection_number:text:16", "content_type:text:20", "size_bytes:int:12", "uploaded_by_name", "created_at:datetime"),
} as const;

/** Staff also see the internal notes. */
export const STAFF_INSPECTION_COLUMNS: readonly Column[] = [...COLUMNS.inspections, ...cols("internal_notes:text:30")];

/** Every header key, for the catalogue check. */
export function columnKeys(): string[] {
  return [...new Set([...Object.values(COLUMNS).flat(), ...STAFF_INSPECTION_COLUMNS].map((c) => c.key))].sort();
}
