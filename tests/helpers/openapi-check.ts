import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument } from "@/lib/openapi/document";

// Every answer the API tests receive from /api/v1 is checked against the OpenAPI document
// (tests/helpers/router.ts calls this): the status is one the operation declares, the content
// type one it declares for that status, and a JSON body matches the declared schema. So the
// document cannot drift from what the handlers do.

type Json = Record<string, unknown>;
type Operation = { responses: Record<string, Json> };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json>; responses: Record<string, Json> } };

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();
let doc: Doc | undefined;
let matchers: { re: RegExp; path: string }[] = [];

/** Builds the document and its path matchers (the API tests do it before their first test). */
export async function load(): Promise<Doc> {
  if (!doc) {
    doc = (await openApiDocument()) as unknown as Doc;
    matchers = Object.keys(doc.paths)
      // Static paths before templated ones, as Next.js routes them.
      .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))
      .map((p) => ({ path: p, re: new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`) }));
  }
  return doc;
}

function resolve(d: Doc, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const [, group, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
  return resolve(d, (d.components as unknown as Record<string, Record<string, Json>>)[group][name]);
}

/** Throws an Error naming what does not match. */
export async function checkAnswer(method: string, pathname: string, status: number, contentType: string | null, body: unknown): Promise<void> {
  if (!pathname.startsWith("/api/v1/")) return;
  const d = await load();
  const found = matchers.find((m) => m.re.test(pathname));
  const where = `${method} ${pathname}`;
  if (!found) throw new Error(`${where}: no path of the OpenAPI document matches (lib/openapi/registry.ts)`);
  const op = d.paths[found.path][method.toLowerCase()];
  if (!op) throw new Error(`${where}: ${method} ${found.path} is not in the OpenAPI document`);
  const declared = op.responses[String(status)];
  if (!declared) throw new Error(`${where}: status ${status} is not declared for ${method} ${found.path} (declared: ${Object.keys(op.responses).join(", ")})`);
  const response = resolve(d, declared);
  const content = (response.content ?? {}) as Record<string, { schema?: Json }>;
  const type = (contentType ?? "").split(";")[0].trim();
  if (Object.keys(content).length === 0) return;
  const media = content[type];
  if (!media) throw new Error(`${where}: ${status} answered ${type || "no content type"}, the document declares ${Object.keys(content).join(", ")}`);
  if (type !== "application/json" || !media.schema) return;
  const key = `${method} ${found.path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(resolve(d, media.schema));
    compiled.set(key, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new Error(`${where}: the ${status} body does not match the OpenAPI document: ${errors}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
