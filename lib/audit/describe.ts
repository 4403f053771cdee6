import { AUDIT_EVENTS, type AuditEvent } from "@/lib/schemas/users";

// An audit row in words: who, what, which record (with a link), and field by field what changed,
// with field names and values as the user's language says them. Pure: the page and the export
// pass their translator and their time format.

export type AuditSource = {
  id: number;
  created_at: string;
  actor_id?: string | null;
  actor_email: string | null;
  actor_name: string | null;
  event: string;
  table_name: string;
  security_event: boolean;
  subject: { type: string; id?: string; label?: string; detail?: string; kind?: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  refs: Record<string, string>;
};

export type AuditChange = { field: string; label: string; before: string | null; after: string | null };

export type AuditView = {
  id: number;
  at: string;
  time: string;
  actor: string;
  actorEmail: string | null;
  event: AuditEvent;
  eventText: string;
  security: boolean;
  recordType: string;
  record: string;
  href: string | null;
  changes: AuditChange[];
};

/** The catalogue lookups this needs (next-intl's translator fits). */
export type Words = { t: (key: string, values?: Record<string, string | number>) => string; has: (key: string) => boolean };

/** Fields that say nothing to a person: ids, bookkeeping, file internals. */
const HIDDEN = new Set(["id", "created_at", "updated_at", "storage_path", "sha256", "checked_at_audit", "headers", "mapping", "header_row"]);

// Values that are names of a state or kind, by table and field: the catalogue key holding their words.
const ENUMS: Record<string, string> = {
  "flows.status": "flows.statuses",
  "flows.kind": "flows.kinds",
  "inspection_applications.status": "inspections.statuses",
  "inspection_applications.inspection_type": "inspections.types",
  "inspection_applications.result": "inspections.results",
  "attachments.kind": "inspections.upload.kinds",
  "profiles.role": "common.roles",
  "profiles.locale": "audit.locales",
  "imports.kind": "audit.importKinds",
  "imports.status": "audit.importStatuses",
  "login_failures.reason": "audit.signInReasons",
};

// Where each kind of record is seen; users are found by email on the users page.
const LINKS: Partial<Record<string, (id: string, label: string) => string>> = {
  flow: (id) => `/flows/${id}`,
  item: (id) => `/items/${id}`,
  inspection: (id) => `/inspections/${id}`,
  customer: (id) => `/customers/${id}`,
  user: (_id, label) => `/admin/users?q=${encodeURIComponent(label)}`,
  engine: () => "/engines",
  location: () => "/locations",
  import: () => "/imports",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function isAuditEvent(e: string): e is AuditEvent {
  return (AUDIT_EVENTS as readonly string[]).includes(e);
}

function valueText(w: Words, formatTime: (iso: string) => string, row: AuditSource, field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return w.t(value ? "audit.values.yes" : "audit.values.no");
  if (typeof value === "string") {
    const enumKey = ENUMS[`${row.table_name}.${field}`];
    if (enumKey && w.has(`${enumKey}.${value}`)) return w.t(`${enumKey}.${value}`);
    if (UUID.test(value)) return row.refs[value] ?? w.t("audit.values.removed");
    if (INSTANT.test(value) && field.endsWith("_at")) return formatTime(value);
    return value;
  }
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** The field's name in the user's language (the raw name only for a column nobody has named yet). */
export function fieldLabel(w: Words, field: string): string {
  return w.has(`audit.fields.${field}`) ? w.t(`audit.fields.${field}`) : field;
}

/** The fields a person reads: what changed (every filled field of a creation or removal). */
export function auditChanges(w: Words, formatTime: (iso: string) => string, row: AuditSource): AuditChange[] {
  const keys = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])];
  const changes: AuditChange[] = [];
  for (const field of keys) {
    if (HIDDEN.has(field)) continue;
    const before = row.before ? valueText(w, formatTime, row, field, row.before[field]) : null;
    const after = row.after ? valueText(w, formatTime, row, field, row.after[field]) : null;
    if (before === after || (row.before && row.after && JSON.stringify(row.before[field]) === JSON.stringify(row.after[field]))) continue;
    changes.push({ field, label: fieldLabel(w, field), before, after });
  }
  return changes.sort((a, b) => a.label.localeCompare(b.label));
}

export function describeAudit(w: Words, formatTime: (iso: string) => string, row: AuditSource): AuditView {
  const event: AuditEvent = isAuditEvent(row.event) ? row.event : "updated";
  const type = row.subject.type;
  const label = row.subject.label ?? "";
  const record = [label, row.subject.detail].filter(Boolean).join(" · ");
  const typeKey = type === "flow" && row.subject.kind ? `flows.kinds.${row.subject.kind}` : `audit.records.${type}`;
  const link = LINKS[type];
  return {
    id: row.id,
    at: row.created_at,
    time: formatTime(row.created_at),
    actor: row.actor_name || row.actor_email || w.t("audit.system"),
    actorEmail: row.actor_name ? row.actor_email : null,
    event,
    eventText: w.t(`audit.events.${event}`),
    security: row.security_event,
    recordType: w.has(typeKey) ? w.t(typeKey) : w.t("audit.records.record"),
    record: record || w.t("audit.values.removed"),
    href: link && row.subject.id && label ? link(row.subject.id, label) : null,
    changes: auditChanges(w, formatTime, row),
  };
}

/** One line per change, for a file: "상태: 제출됨 → 승인됨". */
export function changesText(changes: AuditChange[], empty: string): string {
  return changes.map((c) => `${c.label}: ${c.before ?? empty} → ${c.after ?? empty}`).join("\n");
}
