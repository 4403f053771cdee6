// The RPC surface, as decided (issue 12 item 5; docs/security.md "The RPC surface"). On Supabase
// every function of an exposed schema that `authenticated` (or `anon`) may execute is callable
// directly at /rest/v1/rpc/<name> with a user's own token. Every function of the exposed schemas
// is listed here with who may execute it; tests/contract/rpc-surface.contract.ts fails when the
// database has a function this list does not name, or grants one differently.
//
// Adding a function: one line below, "schema.name": surface(ROLES, "why") when users call it with
// their own session (it must then enforce role, ownership, validation and limits itself, and get
// a probe in tests/contract/rpc-surface-probes.ts), or serviceOnly("why") when it trusts a check the
// app made (the app calls it with the service role and the actor's id). Then a row in
// docs/security.md.

export type Grantee = "anon" | "authenticated" | "service_role";
export type AppRole = "admin" | "manager" | "korean_team" | "chinese_staff" | "customer";

export type SurfaceEntry = {
  /** Exactly the API roles that may execute it (PUBLIC must never). */
  readonly grants: readonly Grantee[];
  /** For functions on the authenticated surface: the app roles it lets through. */
  readonly roles: readonly AppRole[];
  readonly why: string;
};

export const STAFF: readonly AppRole[] = ["admin", "manager", "korean_team", "chinese_staff"];
export const EVERYONE: readonly AppRole[] = [...STAFF, "customer"];
export const DELETERS: readonly AppRole[] = ["admin", "manager", "korean_team"];
export const ADMIN: readonly AppRole[] = ["admin"];
export const MANAGERS: readonly AppRole[] = ["admin", "manager"];

/** On the authenticated surface: the user's own session calls it; it checks everything itself. */
export function surface(roles: readonly AppRole[], why: string, grants: readonly Grantee[] = ["authenticated", "service_role"]): SurfaceEntry {
  return { grants, roles, why };
}

/** service_role only: it trusts a check the app made; the app passes the actor's id. */
export function serviceOnly(why: string): SurfaceEntry {
  return { grants: ["service_role"], roles: [], why };
}

export const RPC_SURFACE: Readonly<Record<string, SurfaceEntry>> = {
  // ----- profile and session -----
  "public.me": surface(EVERYONE, "the caller's own profile (p_actor ignored)"),
  "public.me_counting": surface(EVERYONE, "own profile (through me) + this request in the caller's own read/write bucket (derived from auth.uid()); reads also in an address bucket, at most 1000 a minute per caller", ["authenticated"]),
  "public.update_my_profile": surface(EVERYONE, "own display name (1-100) and locale only"),
  "public.email_preferences_get": surface(EVERYONE, "the caller's own email preferences (p_actor ignored)"),
  "public.email_preferences_update": surface(EVERYONE, "own email preferences: only the kinds the caller's role receives, booleans only"),
  "public.pat_create": surface(EVERYONE, "a personal access token for the caller, from a session only (not with a token); name 1-100, scope, 30/90/365 days, at most 50 live", ["authenticated"]),
  "public.pat_list": surface(EVERYONE, "the caller's own tokens (never hashes); everyone's for admins (p_all)", ["authenticated"]),
  "public.pat_revoke": surface(EVERYONE, "revokes the caller's own token (admins: anyone's), from a session only", ["authenticated"]),
  "public.pat_authenticate": serviceOnly("who a presented token's hash belongs to, recording its last use and address: open to users, anyone could probe hashes and write others' last-use records"),
  "public.rpc_idempotent": surface(EVERYONE, "runs a whitelisted write function as the caller, keys in the caller's namespace"),

  // ----- users and audit (admin) -----
  "public.admin_set_user_access": surface(ADMIN, "role/company/active; admin only, keeps the last active admin"),
  "public.user_create_prepare": surface(ADMIN, "checks a new user's fields; writes nothing"),
  "public.user_customer_options": surface(ADMIN, "active companies for the user form"),
  "public.user_get": surface(ADMIN, "one user"),
  "public.user_update": surface(ADMIN, "role, company link (active company), active, name"),
  "public.users_list": surface(ADMIN, "list of users"),
  "public.audit_list": surface(ADMIN, "the audit trail"),
  "public.audit_tables": surface(ADMIN, "audited table names"),
  "public.staff_directory": surface(STAFF, "active staff: id, name, role"),

  // ----- catalogue -----
  "public.customers_list": surface(STAFF, "customer companies"),
  "public.customer_get": surface(STAFF, "one company"),
  "public.customer_create": surface(STAFF, "new company; lengths by table checks"),
  "public.customer_update": surface(STAFF, "company patch; lengths by table checks"),
  "public.engines_list": surface(STAFF, "engines"),
  "public.engine_get": surface(STAFF, "one engine"),
  "public.engine_create": surface(STAFF, "new engine; lengths by table checks"),
  "public.engine_update": surface(STAFF, "engine patch"),
  "public.locations_list": surface(STAFF, "warehouses"),
  "public.location_get": surface(STAFF, "one warehouse"),
  "public.location_create": surface(STAFF, "new warehouse"),
  "public.location_update": surface(STAFF, "warehouse patch"),
  "public.items_list": surface(STAFF, "items with stock"),
  // Imports (20261205000500_imports.sql): the app parses the file and records its rows as the
  // service role; checking and applying run as the user, on their own imports only.
  "public.import_begin": serviceOnly("records an import the app parsed (file name, size, headers, mapping, target)"),
  "public.import_rows_add": serviceOnly("records the rows as the app read them from the file"),
  "public.import_get": surface(STAFF, "one's own import: status, progress, counts"),
  "public.import_rows_list": surface(STAFF, "one's own import's rows with their messages"),
  "public.import_set_mapping": surface(STAFF, "remaps one's own import's columns (checked against its headers)"),
  "public.import_validate": surface(STAFF, "checks one's own import's rows with the rules of single writes"),
  "public.import_apply": surface(STAFF, "applies one's own valid import in one transaction, once; items only by deleters"),
  "public.import_count_sheet": surface(STAFF, "a warehouse's expected quantities for a stocktake sheet"),
  "public.import_mapping_get": surface(STAFF, "one's own remembered column mapping for a kind"),
  // Exports (20261205000600_exports.sql): the same filters, sort and rights as the lists, in keyset batches.
  "public.items_export": surface(STAFF, "the item list as a file"),
  "public.stocks_export": surface(STAFF, "the stock list as a file"),
  "public.ledger_export": surface(STAFF, "the ledger as a file"),
  "public.ledger_export_text": surface(STAFF, "the ledger as file text (CSV lines or worksheet rows) written by the database"),
  "public.flows_export": surface(STAFF, "flows as a file, one row per line"),
  "public.customers_export": surface(STAFF, "customers as a file"),
  "public.users_export": surface(ADMIN, "users as a file"),
  "public.audit_export": surface(ADMIN, "the audit trail as a file"),
  "public.inspections_export": surface(EVERYONE, "inspections as a file; customers: own company only, no internal notes"),
  "public.portal_stock_export": surface(["customer"], "own goods in stock as a file"),
  "public.portal_shipments_export": surface(["customer"], "own shipments as a file"),
  "public.attachments_export": surface(EVERYONE, "documents as a file; customers: own company, not internal"),
  "public.item_get": surface(STAFF, "one item"),
  "public.item_create": surface(STAFF, "new item; lengths and bounds by table checks"),
  "public.item_update": surface(STAFF, "item patch"),
  "public.item_delete": surface(DELETERS, "delete an unused item"),

  // ----- flows and stock -----
  "public.flows_list": surface(STAFF, "stock flows"),
  "public.flow_get": surface(STAFF, "one flow"),
  "public.flow_counts": surface(STAFF, "the counted and expected quantities behind a stocktake's adjustment, for its printed sheet"),
  "public.flow_create": surface(STAFF, "draft flow, at most 500 lines"),
  "public.flow_update": surface(STAFF, "draft patch"),
  "public.flow_submit": surface(STAFF, "draft to submitted"),
  "public.flow_approve": surface(MANAGERS, "approve; never one's own flow"),
  "public.flow_commit": surface(MANAGERS, "commit stock atomically"),
  "public.flow_cancel": surface(STAFF, "cancel; approved ones by managers only"),
  "public.flow_reverse": surface(STAFF, "draft reversal of a committed flow"),
  "public.stocks_list": surface(STAFF, "stock per item and location"),
  "public.ledger_list": surface(STAFF, "the stock ledger"),
  "public.dashboard_kpis": surface(STAFF, "staff dashboard"),
  "public.dashboard_trend": surface(STAFF, "staff dashboard"),
  "public.dashboard_top_movers": surface(STAFF, "staff dashboard"),
  "public.dashboard_stock_breakdown": surface(STAFF, "staff dashboard"),
  "public.dashboard_recent_activity": surface(STAFF, "staff dashboard"),
  "public.notifications_list": surface(STAFF, "low-stock notifications"),
  "public.notifications_mark_read": surface(STAFF, "own read marks, at most 500 ids"),

  // ----- inspections, messages, portal -----
  "public.inspections_list": surface(EVERYONE, "customers: own company only"),
  "public.inspection_get": surface(EVERYONE, "customers: own company only, no internal notes"),
  "public.inspection_create": surface(EVERYONE, "customers: for their own company only"),
  "public.inspection_schedule": surface(STAFF, "schedule with an active staff inspector"),
  "public.inspection_start": surface(STAFF, "status step"),
  "public.inspection_report": surface(STAFF, "status step"),
  "public.inspection_complete": surface(STAFF, "status step"),
  "public.inspection_cancel": surface(EVERYONE, "customers: own, until scheduled"),
  "public.inspection_set_internal_notes": surface(STAFF, "staff-only notes"),
  "public.messages_list": surface(EVERYONE, "customers: own company's threads"),
  "public.message_send": surface(EVERYONE, "customers: own company's threads; 1-4000 characters"),
  "public.messages_mark_read": surface(EVERYONE, "own side's read marks"),
  "public.messages_unread": surface(EVERYONE, "own unread counts"),
  "public.portal_shipments": surface(["customer"], "own company's outbound flows"),
  "public.portal_shipment_get": surface(["customer"], "one own shipment"),
  "public.portal_stock": surface(["customer"], "own goods in stock"),

  // ----- attachments -----
  "public.attachment_prepare": surface(EVERYONE, "checks a target, returns a fresh path; writes nothing"),
  "public.attachments_list": surface(EVERYONE, "customers: own company, not internal"),
  "public.attachment_get": surface(EVERYONE, "customers: own company, not internal"),
  "public.attachment_delete": surface(DELETERS, "metadata delete; customers not_found/forbidden"),
  "public.attachment_upload_begin": surface(EVERYONE, "a pending upload row; every check of a multipart upload"),
  "public.attachment_upload_get": surface(EVERYONE, "the caller's own upload only"),
  "public.attachment_register": serviceOnly("records bytes the server stored after checking their content"),
  "public.attachment_upload_complete": serviceOnly("records a direct upload the server read back and checked"),
  "public.attachment_upload_fail": serviceOnly("records the server's refusal of a stored object"),

  // ----- machine translation -----
  "public.translation_source": surface(EVERYONE, "the text of a record the caller may read (customers: their company's messages, own notes and goods; never internal or flow notes); otherwise not found"),
  "public.translation_cached": surface(EVERYONE, "security invoker: a cached translation only where row-level security lets the caller read an original it was made for"),
  "public.translation_settings_get": surface(EVERYONE, "the caller's own auto-translate switch"),
  "public.translation_settings_set": surface(EVERYONE, "sets the caller's own auto-translate switch only"),
  "public.glossary_list": surface(STAFF, "the glossary (it names customers and factories: staff only)"),
  "public.glossary_save": surface(ADMIN, "adds or changes a term; two forms at least, lengths bounded"),
  "public.glossary_delete": surface(ADMIN, "removes a term"),
  "public.translation_usage_report": surface(ADMIN, "usage per day and per user, 1 to 366 days"),
  "public.translation_prepare": serviceOnly("trusts that the app read the source as the actor; links a cache entry to it and checks limits the app's configuration sets"),
  "public.translation_store": serviceOnly("records the provider's answer as the cached translation of a text: open to users, anyone could plant a translation for others to read"),
  "public.translation_release": serviceOnly("ends a caller's lease on a cache key after its provider call failed: open to users, anyone could end another's lease"),

  // ----- server only: health, rate limits, jobs, checks -----
  "public.health_check": serviceOnly("health endpoints"),
  "public.rate_limit_hit": serviceOnly("rate-limit bookkeeping for any bucket"),
  "public.rate_limit_refund": serviceOnly("rate-limit bookkeeping for any bucket"),
  "public.rate_limits_prune": serviceOnly("cron job"),
  "public.login_failure_record": serviceOnly("security events of failed logins"),
  "public.password_change": serviceOnly("the server checked the current password with the auth service"),
  "public.password_set_temporary": serviceOnly("admin check inside; the auth service sets the password on Supabase"),
  "public.password_reset_issue": serviceOnly("admin check inside; the token is the server's, only its hash is kept"),
  "public.password_reset_redeem": serviceOnly("anyone holding a link; the server rate-limits the attempts"),
  "public.password_state": serviceOnly("whether a signed-in user must change a temporary password"),
  "public.stock_invariant_violations": serviceOnly("operations check over all stock"),
  "public.jobs_attachment_uploads_stale": serviceOnly("cron job"),
  "public.jobs_attachment_uploads_forget": serviceOnly("cron job"),
  "public.import_upload_begin": serviceOnly("records a direct upload of an import file the server signed"),
  "public.import_upload_taken": serviceOnly("the server read the upload back for an import and removed its object"),
  "public.jobs_import_uploads_stale": serviceOnly("cron job"),
  "public.jobs_import_uploads_forget": serviceOnly("cron job"),
  "public.jobs_audit_retention": serviceOnly("cron job"),
  "public.jobs_low_stock_claim": serviceOnly("cron job"),
  "public.jobs_low_stock_finish": serviceOnly("cron job"),
  "public.jobs_prune_idempotency_keys": serviceOnly("cron job"),
  "public.jobs_prune_job_runs": serviceOnly("cron job: job runs older than 30 days"),
  "public.jobs_prune_flow_daily_totals": serviceOnly("cron job: the dashboard's daily totals of days more than 92 days back, which no dashboard function reads"),
  "public.jobs_prune_email_outbox": serviceOnly("cron job: emails sent, skipped or failed more than 90 days ago, across every user's outbox rows"),
  "public.jobs_email_claim": serviceOnly("cron job: email delivery across every user's outbox rows"),
  "public.jobs_email_begin": serviceOnly("cron job: email delivery"),
  "public.jobs_email_finish": serviceOnly("cron job: email delivery"),
  "public.jobs_email_queue_approval_digest": serviceOnly("cron job: the daily approval digest"),
  "public.jobs_email_outbox_status": serviceOnly("status page: outbox counts"),
  "public.email_enqueue": serviceOnly("operations mail to any address (alerts to the on-call)"),

  // ----- operations (docs/operations.md) -----
  "public.ops_metrics_record": serviceOnly("the route wrapper's request counts, flushed after responses"),
  "public.ops_alert_figures": serviceOnly("cron job: the alert rules' figures (connections, database size, sign-in failures across users)"),
  "public.ops_alert_apply": serviceOnly("cron job: an alert rule's state and history"),
  "public.ops_alert_delivered": serviceOnly("cron job: whether Slack took an alert"),
  "public.ops_job_run_record": serviceOnly("cron jobs record their runs"),
  "public.ops_backup_record": serviceOnly("the backup scripts record their backups"),
  "public.ops_maintenance_state": serviceOnly("every request's maintenance check (cached by the server), anonymous ones included"),
  "public.ops_maintenance_set": serviceOnly("admin check inside (begin_action); the app checked it first"),
  "public.ops_status": serviceOnly("admin check inside; the status page's figures, job summary and outbox counts"),
};

/** The message a test failure shows for a function the list does not name. */
export function unlistedMessage(name: string, signature: string, grants: readonly string[]): string {
  return (
    `${name}: ${signature} (executable by ${grants.join(", ") || "nobody"}) is not in tests/helpers/rpc-surface.ts. Decide, ` +
    `and add one line there: "${name}": surface(ROLES, "why") if users call it with their own session (it must then ` +
    `check role, ownership, validation and limits itself; add its probe to tests/contract/rpc-surface-probes.ts), or ` +
    `"${name}": serviceOnly("why") if it trusts a check the app made (revoke execute from authenticated and anon in a ` +
    `new migration; the app calls it with the service role and p_actor). Then add its row to docs/security.md, ` +
    `"The RPC surface".`
  );
}
