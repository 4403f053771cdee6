import { z } from "zod";
import { auditRow } from "@/lib/data/audit";
import { customerDetail, customerListRow } from "@/lib/data/customers";
import { engineRow } from "@/lib/data/engines";
import { flowDetail, flowListRow } from "@/lib/data/flows";
import { importRecord, importRow } from "@/lib/data/imports";
import { inspectionDetail, inspectionListRow } from "@/lib/data/inspections";
import { itemRow } from "@/lib/data/items";
import { locationRow } from "@/lib/data/locations";
import { message, readMark, unreadCounts } from "@/lib/data/messages";
import { notificationRow } from "@/lib/data/notifications";
import { portalStockRow, shipment } from "@/lib/data/portal";
import { staffMember } from "@/lib/data/staff";
import { ledgerRow, stockRow } from "@/lib/data/stocks";
import { userRow } from "@/lib/data/users";
import { FLOW_ROUTES } from "@/lib/http/flow-routes";
import { FILE_TYPES } from "@/lib/storage/file-type";
import { attachmentSchema, directUploadSchema } from "@/lib/schemas/attachments";
import { FLOW_ACTIONS, FLOW_KINDS, KIND_PATHS, type FlowAction, type FlowKind } from "@/lib/schemas/flows";
import { emailPreferencesSchema } from "@/lib/schemas/email";
import { tokenCreatedSchema, tokenSchema } from "@/lib/schemas/tokens";
import { glossarySchema, glossaryTermSchema, translationSchema, translationSettingsSchema, usageReportSchema } from "@/lib/schemas/translations";
import { body, CSV, data, file, page, XLSX, type Answer } from "./shapes";

// The API's routes for the OpenAPI document (GET /api/v1/openapi.json, docs/api.md).
//
// Adding a route: one entry below, keyed by its folder under app/api/v1 ("items/[id]"), with a
// loader of its route.ts and, per exported method, a summary and what it answers. The request
// side (path parameters, query, body, permission) is read from the route's own handler() spec,
// so it never needs writing here. tests/unit/openapi.test.ts fails, naming the route and method,
// when a route.ts or a method is missing here or an entry names one that does not exist. A
// route.ts that dispatches on its dynamic segments (lib/http/dispatch.ts) has one entry per URL
// it serves (dynamicRoute), and the test checks those both ways against its dispatch table.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** `redirect`: a plain HTML form's post is also answered with 303 See Other to this page. */
export type Operation = { summary: string; answer: Answer; tag?: string; redirect?: string };
export type RouteModule = Record<string, unknown>;
export type RouteEntry = {
  /** The folder under app/api/v1 that holds route.ts ("" for app/api/v1 itself). */
  folder: string;
  /**
   * The URL under /api/v1 when the folder has dynamic segments that pick a handler
   * ("inbounds/[id]/submit" in "[kind]/[id]/[action]"): the module is that URL's handlers.
   */
  path?: string;
  load: () => Promise<RouteModule>;
  methods: Partial<Record<Method, Operation>>;
};

const op = (summary: string, answer: Answer, tag?: string): Operation => ({ summary, answer, tag });
const route = (folder: string, load: () => Promise<RouteModule>, methods: Partial<Record<Method, Operation>>): RouteEntry => ({ folder, load, methods });
const dynamicRoute = (folder: string, path: string, load: () => Promise<RouteModule>, methods: Partial<Record<Method, Operation>>): RouteEntry => ({
  folder,
  path,
  load,
  methods,
});
const anyData = z.unknown();
const maintenanceAnswer = z.object({
  active: z.boolean(),
  message: z.string().nullable(),
  ends_at: z.string().nullable(),
  updated_at: z.string().nullable(),
  source: z.enum(["database", "env", "none"]),
});
const attachment = attachmentSchema;
const bulkRow = z.union([
  z.object({ id: z.uuid(), ok: z.literal(true), number: z.string(), status: z.string(), shortfalls: z.array(z.unknown()) }),
  z.object({ id: z.uuid(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }),
]);
const bulkResult = z.object({ action: z.enum(["submit", "approve", "commit"]), succeeded: z.number().int(), failed: z.number().int(), results: z.array(bulkRow) });

// The four kinds of flow share one set of endpoints, served by three dynamic route.ts files
// (app/api/v1/[kind], [kind]/[id], [kind]/[id]/[action]) that pick one handler per kind and
// action from lib/http/flow-routes.ts: each URL is documented on its own, with its handler.
const ACTION_SUMMARY: Record<FlowAction, string> = {
  submit: "Submit a draft for approval",
  approve: "Approve a submitted flow (managers; not one's own)",
  commit: "Commit an approved flow: stock changes (managers)",
  cancel: "Cancel a flow before it is committed (with an optional reason)",
  reverse: "Reverse a committed flow with a new flow (with an optional note)",
};
const flowActionEntries = (seg: string): RouteEntry[] =>
  FLOW_ACTIONS.map((action) =>
    dynamicRoute("[kind]/[id]/[action]", `${seg}/[id]/${action}`, async () => ({ POST: FLOW_ROUTES.action[seg][action] }), {
      POST: op(ACTION_SUMMARY[action], data(flowDetail, action === "reverse" ? 201 : 200), "Flows"),
    }),
  );
function flowEntries(kind: FlowKind): RouteEntry[] {
  const seg = KIND_PATHS[kind];
  return [
    dynamicRoute("[kind]", seg, async () => FLOW_ROUTES.collection[seg], {
      GET: op(`List ${kind} flows`, page(flowListRow), "Flows"),
      POST: op(`Create a draft ${kind}`, data(flowDetail, 201), "Flows"),
    }),
    dynamicRoute("[kind]/[id]", `${seg}/[id]`, async () => FLOW_ROUTES.item[seg], {
      GET: op(`One ${kind} with its lines`, data(flowDetail), "Flows"),
      PATCH: op(`Edit a draft ${kind}`, data(flowDetail), "Flows"),
    }),
    ...flowActionEntries(seg),
  ];
}

export const API_ROUTES: RouteEntry[] = [
  // ----- tokens and the signed-in user -----
  route("auth/login", () => import("@/app/api/v1/auth/login/route"), {
    POST: op("Sign in with email and password (sets the session cookie; answers the access token)", data(anyData), "Auth"),
    GET: op("Not a way to sign in: always 401", data(anyData), "Auth"),
  }),
  route("auth/logout", () => import("@/app/api/v1/auth/logout/route"), {
    POST: {
      ...op("End this session, or every session of the user (scope \"global\")", data(z.object({ signed_out: z.boolean(), scope: z.string() })), "Auth"),
      redirect: "A form post (the user menu's buttons): 303 See Other to /login",
    },
  }),
  route("auth/me", () => import("@/app/api/v1/auth/me/route"), {
    GET: op(
      "The signed-in user (must_change_password: every other call answers 403 password_change_required until the password is changed)",
      data(z.object({ user: z.object({ id: z.uuid(), email: z.string(), role: z.string(), customer_id: z.uuid().nullable(), must_change_password: z.boolean() }) })),
      "Auth",
    ),
    PATCH: op("Change one's own display name or language", data(anyData), "Auth"),
  }),
  route("auth/me/email-preferences", () => import("@/app/api/v1/auth/me/email-preferences/route"), {
    GET: op("Which emails the signed-in user receives: one switch per kind their role gets", data(emailPreferencesSchema), "Auth"),
    PATCH: op("Turn kinds of email on or off; a kind the role does not receive is refused (422)", data(emailPreferencesSchema), "Auth"),
  }),
  route("auth/password", () => import("@/app/api/v1/auth/password/route"), {
    POST: op(
      "Change one's own password (the current and the new one; a session opened by a recovery link sends only the new one): every other session ends, this one goes on",
      data(z.object({ changed: z.literal(true), signed_in: z.boolean() })),
      "Auth",
    ),
  }),
  route("auth/password/reset", () => import("@/app/api/v1/auth/password/reset/route"), {
    POST: op("Set a new password with a one-time reset link's token (embedded mode)", data(z.object({ changed: z.literal(true), email: z.string() })), "Auth"),
  }),
  route("tokens", () => import("@/app/api/v1/tokens/route"), {
    GET: op("The caller's personal access tokens (?all=true: everyone's, admins)", data(z.array(tokenSchema)), "Tokens"),
    POST: op("Create a personal access token: the token is in this answer only", data(tokenCreatedSchema, 201), "Tokens"),
  }),
  route("tokens/[id]", () => import("@/app/api/v1/tokens/[id]/route"), {
    DELETE: op("Revoke a token (admins: anyone's); it stops working at once", data(tokenSchema), "Tokens"),
  }),
  route("ops/maintenance", () => import("@/app/api/v1/ops/maintenance/route"), {
    GET: op("Maintenance mode: on or off, the message and the expected end (admins)", data(maintenanceAnswer), "Operations"),
    POST: {
      ...op("Switch maintenance mode on or off, with a message and an expected end (admins, audited)", data(maintenanceAnswer), "Operations"),
      redirect: "The status page's form post: 303 See Other to /admin/status",
    },
  }),
  // ----- machine translation (404 not_enabled while no OPENAI_API_KEY is set) -----
  route("translations", () => import("@/app/api/v1/translations/route"), {
    POST: op(
      "Translate a record the caller may read (by its type and id) or, staff only, a text of up to 5,000 characters; 429 translation_limit, 503 translation_unavailable",
      data(translationSchema),
      "Translations",
    ),
  }),
  route("translations/settings", () => import("@/app/api/v1/translations/settings/route"), {
    GET: op("The caller's automatic translation of incoming messages", data(translationSettingsSchema), "Translations"),
    PUT: op("Turn automatic translation of incoming messages on or off", data(translationSettingsSchema), "Translations"),
  }),
  route("translations/glossary", () => import("@/app/api/v1/translations/glossary/route"), {
    GET: op("The glossary translations follow, with its version (staff)", data(glossarySchema), "Translations"),
    POST: op("Add a glossary term in at least two languages (admins)", data(glossaryTermSchema.extend({ version: z.number().int() }), 201), "Translations"),
  }),
  route("translations/glossary/[id]", () => import("@/app/api/v1/translations/glossary/[id]/route"), {
    PUT: op("Change a glossary term (admins)", data(glossaryTermSchema.extend({ version: z.number().int() })), "Translations"),
    DELETE: op("Remove a glossary term (admins)", data(z.object({ id: z.uuid(), version: z.number().int() })), "Translations"),
  }),
  route("translations/usage", () => import("@/app/api/v1/translations/usage/route"), {
    GET: op("Translation usage per day and per user and day, and this month's characters (admins)", data(usageReportSchema), "Translations"),
  }),
  route("version", () => import("@/app/api/v1/version/route"), { GET: op("The app's name, version and database mode", data(anyData), "System") }),
  route("openapi.json", () => import("@/app/api/v1/openapi.json/route"), { GET: op("This document", body(z.looseObject({ openapi: z.string() })), "System") }),

  // ----- inventory -----
  route("engines", () => import("@/app/api/v1/engines/route"), {
    GET: op("Business lines", page(engineRow), "Inventory"),
    POST: op("Add a business line", data(engineRow, 201), "Inventory"),
  }),
  route("engines/[id]", () => import("@/app/api/v1/engines/[id]/route"), {
    GET: op("One business line", data(engineRow), "Inventory"),
    PATCH: op("Change a business line", data(engineRow), "Inventory"),
  }),
  route("locations", () => import("@/app/api/v1/locations/route"), {
    GET: op("Warehouses", page(locationRow), "Inventory"),
    POST: op("Add a warehouse", data(locationRow, 201), "Inventory"),
  }),
  route("locations/[id]", () => import("@/app/api/v1/locations/[id]/route"), {
    GET: op("One warehouse", data(locationRow), "Inventory"),
    PATCH: op("Change a warehouse", data(locationRow), "Inventory"),
  }),
  route("items", () => import("@/app/api/v1/items/route"), {
    GET: op("Items: search, filter, sort, page", page(itemRow), "Inventory"),
    POST: op("Add an item", data(itemRow, 201), "Inventory"),
  }),
  route("items/[id]", () => import("@/app/api/v1/items/[id]/route"), {
    GET: op("One item with its stock per warehouse", data(itemRow), "Inventory"),
    PATCH: op("Change an item", data(itemRow), "Inventory"),
    DELETE: op("Remove an unused item (one with history is deactivated)", data(anyData), "Inventory"),
  }),
  route("stocks", () => import("@/app/api/v1/stocks/route"), { GET: op("Stock per item and warehouse", page(stockRow), "Inventory") }),
  route("ledger", () => import("@/app/api/v1/ledger/route"), {
    GET: op("Stock movements, newest first (pass next_before as ?before=)", body(z.object({ data: z.array(ledgerRow), limit: z.number().int(), next_before: z.number().int().nullable() })), "Inventory"),
  }),

  // ----- flows -----
  route("flows", () => import("@/app/api/v1/flows/route"), { GET: op("Flows of every kind", page(flowListRow), "Flows") }),
  dynamicRoute("[kind]/[id]", "flows/[id]", async () => FLOW_ROUTES.item.flows, {
    GET: op("One flow of any kind", data(flowDetail), "Flows"),
    PATCH: op("Edit a draft of any kind (validated with the flow's own kind)", data(flowDetail), "Flows"),
  }),
  route("flows/bulk", () => import("@/app/api/v1/flows/bulk/route"), {
    POST: op("Submit, approve or commit several flows; one result per flow, each checked on its own", data(bulkResult), "Flows"),
  }),
  ...flowActionEntries("flows"),
  ...FLOW_KINDS.flatMap(flowEntries),

  // ----- customers, users, audit -----
  route("customers", () => import("@/app/api/v1/customers/route"), {
    GET: op("Customer companies (staff)", page(customerListRow), "Customers"),
    POST: op("Create a customer company", data(customerDetail.partial(), 201), "Customers"),
  }),
  route("customers/[id]", () => import("@/app/api/v1/customers/[id]/route"), {
    GET: op("One customer company with its users", data(customerDetail), "Customers"),
    PATCH: op("Change a customer company", data(customerDetail.partial()), "Customers"),
  }),
  route("users", () => import("@/app/api/v1/users/route"), {
    GET: op("Users (admins)", page(userRow), "Users"),
    POST: op("Create a user (admins)", data(userRow, 201), "Users"),
  }),
  route("users/[id]", () => import("@/app/api/v1/users/[id]/route"), {
    GET: op("One user (admins)", data(userRow), "Users"),
    PATCH: op("Change a user's role, company, name or active flag (admins)", data(userRow), "Users"),
  }),
  route("users/[id]/password", () => import("@/app/api/v1/users/[id]/password/route"), {
    POST: op("Reset a user's password (admins): a temporary one, or a recovery email (Supabase) or one-time link (embedded)", data(anyData), "Users"),
  }),
  route("staff", () => import("@/app/api/v1/staff/route"), { GET: op("The staff directory", data(z.array(staffMember)), "Users") }),
  route("audit", () => import("@/app/api/v1/audit/route"), { GET: op("The audit log (admins)", page(auditRow), "Users") }),
  route("dashboard", () => import("@/app/api/v1/dashboard/route"), { GET: op("The staff dashboard's figures", data(anyData), "Dashboard") }),
  route("notifications", () => import("@/app/api/v1/notifications/route"), { GET: op("The caller's notifications (staff)", page(notificationRow), "Dashboard") }),
  route("notifications/read", () => import("@/app/api/v1/notifications/read/route"), { POST: op("Mark notifications read", data(anyData), "Dashboard") }),

  // ----- inspections and messages -----
  route("inspections", () => import("@/app/api/v1/inspections/route"), {
    GET: op("Inspection applications", page(inspectionListRow), "Inspections"),
    POST: op("Apply for an inspection", data(inspectionDetail, 201), "Inspections"),
  }),
  route("inspections/[id]", () => import("@/app/api/v1/inspections/[id]/route"), {
    GET: op("One application with its timeline", data(inspectionDetail), "Inspections"),
    PATCH: op("Change the internal notes (staff)", data(inspectionDetail), "Inspections"),
  }),
  route("inspections/[id]/schedule", () => import("@/app/api/v1/inspections/[id]/schedule/route"), { POST: op("Set the date and the inspector (staff)", data(inspectionDetail), "Inspections") }),
  route("inspections/[id]/start", () => import("@/app/api/v1/inspections/[id]/start/route"), { POST: op("The inspection is under way (staff)", data(inspectionDetail), "Inspections") }),
  route("inspections/[id]/report", () => import("@/app/api/v1/inspections/[id]/report/route"), { POST: op("The report is ready (staff)", data(inspectionDetail), "Inspections") }),
  route("inspections/[id]/complete", () => import("@/app/api/v1/inspections/[id]/complete/route"), { POST: op("Close with the result (staff)", data(inspectionDetail), "Inspections") }),
  route("inspections/[id]/cancel", () => import("@/app/api/v1/inspections/[id]/cancel/route"), { POST: op("Cancel an application", data(inspectionDetail), "Inspections") }),
  route("inspections/[id]/messages", () => import("@/app/api/v1/inspections/[id]/messages/route"), {
    GET: op("The application's message thread", body(z.object({ data: z.array(message), count: z.number().int() })), "Inspections"),
    POST: op("Write in the thread", data(message, 201), "Inspections"),
  }),
  route("inspections/[id]/messages/stream", () => import("@/app/api/v1/inspections/[id]/messages/stream/route"), {
    GET: op("New messages of the thread as server-sent events", { kind: "stream", status: 200, description: "text/event-stream" }, "Inspections"),
  }),
  route("messages", () => import("@/app/api/v1/messages/route"), {
    GET: op("The caller's unread messages", data(unreadCounts), "Inspections"),
    POST: op("Mark a thread read", data(readMark), "Inspections"),
  }),
  route("messages/stream", () => import("@/app/api/v1/messages/stream/route"), {
    GET: op("Unread counts as server-sent events", { kind: "stream", status: 200, description: "text/event-stream" }, "Inspections"),
  }),

  // ----- files -----
  route("attachments", () => import("@/app/api/v1/attachments/route"), {
    GET: op("Files of an inspection or a customer", page(attachment), "Files"),
    POST: op("Upload a file (multipart)", data(attachment, 201), "Files"),
  }),
  route("attachments/[id]", () => import("@/app/api/v1/attachments/[id]/route"), {
    GET: op("One file's metadata", data(attachment), "Files"),
    DELETE: op("Remove a file", data(anyData), "Files"),
  }),
  route("attachments/[id]/download", () => import("@/app/api/v1/attachments/[id]/download/route"), {
    GET: op("The file itself, with its own type", file(Object.values(FILE_TYPES).map((f) => f.mime)), "Files"),
  }),
  route("attachments/uploads", () => import("@/app/api/v1/attachments/uploads/route"), {
    POST: op("Begin a direct upload", data(directUploadSchema, 201), "Files"),
  }),
  route("attachments/uploads/[token]", () => import("@/app/api/v1/attachments/uploads/[token]/route"), {
    PUT: op("The bytes of a direct upload (embedded and Postgres modes)", data(anyData), "Files"),
  }),
  route("attachments/uploads/[token]/complete", () => import("@/app/api/v1/attachments/uploads/[token]/complete/route"), {
    POST: op("Complete a direct upload", data(attachment, 201), "Files"),
  }),

  // ----- imports -----
  route("imports", () => import("@/app/api/v1/imports/route"), { POST: op("Start an import (multipart file or a finished upload)", data(importRecord, 201), "Imports") }),
  route("imports/[id]", () => import("@/app/api/v1/imports/[id]/route"), {
    GET: op("One of the user's imports", data(importRecord), "Imports"),
    PATCH: op("A new column mapping", data(importRecord), "Imports"),
  }),
  route("imports/[id]/apply", () => import("@/app/api/v1/imports/[id]/apply/route"), { POST: op("Apply every row in one transaction", data(anyData), "Imports") }),
  route("imports/[id]/errors", () => import("@/app/api/v1/imports/[id]/errors/route"), { GET: op("The error report", file([XLSX]), "Imports") }),
  route("imports/[id]/rows", () => import("@/app/api/v1/imports/[id]/rows/route"), {
    GET: op("The rows with their messages", body(z.object({ data: z.array(importRow), count: z.number().int(), next_after: z.number().int().nullable() })), "Imports"),
  }),
  route("imports/templates/[kind]", () => import("@/app/api/v1/imports/templates/[kind]/route"), { GET: op("A template in the user's language", file([XLSX]), "Imports") }),
  route("imports/uploads", () => import("@/app/api/v1/imports/uploads/route"), { POST: op("Begin a direct upload of an import file", data(anyData, 201), "Imports") }),
  route("imports/uploads/[token]", () => import("@/app/api/v1/imports/uploads/[token]/route"), { PUT: op("The bytes of an import file's direct upload", data(anyData), "Imports") }),

  // ----- customer portal -----
  route("portal/stock", () => import("@/app/api/v1/portal/stock/route"), { GET: op("The customer's goods on hand", page(portalStockRow), "Portal") }),
  route("portal/shipments", () => import("@/app/api/v1/portal/shipments/route"), { GET: op("The customer's shipments", page(shipment), "Portal") }),
  route("portal/shipments/[id]", () => import("@/app/api/v1/portal/shipments/[id]/route"), { GET: op("One of the customer's shipments", data(shipment), "Portal") }),
];

/** Files under app/api/v1 that answer a list as a file too (?format=xlsx|csv). */
export const EXPORT_TYPES = [XLSX, CSV];
