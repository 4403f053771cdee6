import { z } from "zod";
import { ERROR_STATUS } from "@/lib/errors";
import { routeInputOf, type RouteInput } from "@/lib/http/route-specs";
import { API_ROUTES, EXPORT_TYPES, type Method, type Operation, type RouteEntry } from "./registry";
import { errorSchema } from "./shapes";

// The OpenAPI 3.1 document, generated from the zod schemas the handlers validate with (request
// side, read from each route's handler()) and the registry's answers (lib/openapi/registry.ts).

type Json = Record<string, unknown>;
type Io = "input" | "output";

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the $schema line. */
export function jsonSchema(schema: z.ZodType, io: Io): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete out.$schema;
  // Answers may carry fields a schema does not list (looser for clients, still exact for every listed one).
  return io === "output" ? open(out) : out;
}

function open(node: unknown): Json {
  if (Array.isArray(node)) return node.map(open) as unknown as Json;
  if (!node || typeof node !== "object") return node as Json;
  const copy: Json = {};
  for (const [k, v] of Object.entries(node)) if (!(k === "additionalProperties" && v === false)) copy[k] = open(v);
  return copy;
}

/** "items/[id]" → "/api/v1/items/{id}". */
export function openApiPath(folder: string): string {
  return `/api/v1${folder ? `/${folder}` : ""}`.replace(/\[([^\]]+)\]/g, "{$1}");
}

function parameters(where: "path" | "query", schema: z.ZodType | undefined): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, "input");
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (required.has(name) && s.default === undefined),
    schema: s,
    ...(typeof s.description === "string" ? { description: s.description } : {}),
  }));
}

const ERROR_STATUSES = [...new Set(Object.values(ERROR_STATUS))].sort();

function responses(op: Operation, input: RouteInput | undefined): Json {
  const a = op.answer;
  const success: Json = { description: a.description };
  if (a.kind === "json") {
    success.content = { "application/json": { schema: jsonSchema(a.schema, "output") } };
    if (input?.export) {
      for (const t of EXPORT_TYPES) (success.content as Json)[t] = { schema: { type: "string", contentMediaType: t } };
    }
  } else if (a.kind === "file") {
    success.content = Object.fromEntries(a.contentTypes.map((t) => [t, { schema: { type: "string", contentMediaType: t } }]));
  } else if (a.kind === "stream") {
    success.content = { "text/event-stream": { schema: { type: "string" } } };
  }
  const out: Json = { [String(a.status)]: success };
  if (op.redirect) out["303"] = { description: op.redirect, headers: { Location: { schema: { type: "string" } } } };
  for (const status of ERROR_STATUSES) out[String(status)] = { $ref: "#/components/responses/Error" };
  return out;
}

function operation(entry: RouteEntry, method: Method, op: Operation, input: RouteInput | undefined): Json {
  const auth = input?.auth ?? "user";
  const params = [...parameters("path", input?.params), ...parameters("query", input?.query)];
  if (input?.export) {
    params.push({ name: "format", in: "query", required: false, schema: { type: "string", enum: ["xlsx", "csv"] }, description: "The whole list for the query as a file" });
  }
  if (method !== "GET") {
    params.push({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 200 }, description: "Replays the first answer for a retry with the same key and body" });
  }
  const body = input?.body;
  return {
    operationId: `${method.toLowerCase()}_${(entry.path ?? entry.folder).replace(/[^a-zA-Z0-9]+/g, "_") || "root"}`,
    summary: op.summary,
    tags: [op.tag ?? "Other"],
    ...(typeof input?.permission === "string" ? { "x-permission": input.permission } : {}),
    // Every other operation of a signed-in user answers 403 password_change_required while they must change their password.
    ...(auth === "user" && input?.whilePasswordChangeRequired ? { "x-while-password-change-required": true } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: !body.safeParse(undefined).success,
            content: { "application/json": { schema: jsonSchema(body, "input") } },
          },
        }
      : {}),
    responses: responses(op, input),
    security: auth === "user" ? [{ session: [] }, { bearer: [] }, { personalAccessToken: [] }] : [],
  };
}

let cached: Promise<Json> | undefined;

/** The whole document (built once per process). */
export function openApiDocument(): Promise<Json> {
  cached ??= build();
  return cached;
}

async function build(): Promise<Json> {
  const paths: Json = {};
  for (const entry of API_ROUTES) {
    const mod = await entry.load();
    const item: Json = {};
    for (const [method, op] of Object.entries(entry.methods) as [Method, Operation][]) {
      item[method.toLowerCase()] = operation(entry, method, op, routeInputOf(mod[method]));
    }
    paths[openApiPath(entry.path ?? entry.folder)] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Duly ERP API",
      version: "1",
      description:
        "Inventory, stock flows, inspections and the customer portal. Authenticate with a personal access token (`Authorization: Bearer duly_pat_…`), " +
        "a session cookie or a session's bearer JWT. Lists page with ?page= and ?limit= (1-100). Writes accept an Idempotency-Key. " +
        "A user who must change their password (a temporary one set by an admin, or a session opened by a recovery link) gets 403 password_change_required " +
        "from every operation except those marked x-while-password-change-required (POST /api/v1/auth/password, GET /api/v1/auth/me) and signing out. See docs/api.md.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        personalAccessToken: { type: "http", scheme: "bearer", bearerFormat: "duly_pat_<64 hex>", description: "A personal access token (scope read or read_write)" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A session's access token (Supabase Auth, or the embedded sign-in's JWT)" },
        session: { type: "apiKey", in: "cookie", name: "duly_session", description: "The web app's session cookie (sb-… cookies on Supabase)" },
      },
      schemas: { Error: jsonSchema(errorSchema, "output") },
      responses: {
        Error: { description: "An error (the status follows the code)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    },
  };
}
