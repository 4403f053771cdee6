import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TryIt, type TryItWords } from "@/components/api-docs/try-it";
import type { ApiMethod } from "@/components/toolkit/api";
import { Card, PageHeader } from "@/components/ui/card";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tokens.reference");
  return { title: t("title") };
}

type Json = Record<string, unknown>;
type Param = { name: string; in: string; required?: boolean; schema?: Json; description?: string };
type Op = { operationId: string; summary: string; tags: string[]; parameters?: Param[]; requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, Json>; security: unknown[]; "x-permission"?: string };

const METHOD_TONE: Record<string, string> = {
  get: "bg-blue-100 text-blue-900",
  post: "bg-green-100 text-green-900",
  put: "bg-amber-100 text-amber-900",
  patch: "bg-purple-100 text-purple-900",
  delete: "bg-red-100 text-red-900",
};

function schemaText(schema: Json | undefined): string {
  return JSON.stringify(schema ?? {}, null, 2);
}

/** One line per schema type: "string (uuid)", "integer 1–100", "read | read_write". */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (Array.isArray(schema.enum)) return schema.enum.join(" | ");
  const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
  return `${String(schema.type ?? "any")}${format}`;
}

// /docs/api (and /api/docs) — the API reference, rendered on the server from the OpenAPI document;
// the only browser code is each operation's "Try it" form (components/api-docs/try-it.tsx), so the
// pages' CSP holds as it is
export default async function ApiReferencePage() {
  const t = await getTranslations("tokens.reference");
  // The document is English (it is for programs); the page reads its summaries, sections and
  // parameter places from the catalogue (messages/*/api.json, checked against the document by
  // tests/unit/openapi.test.ts), in the reader's language.
  const words = await getTranslations("api");
  const tagName = (tag: string) => (words.has(`tags.${tag}`) ? words(`tags.${tag}`) : tag);
  const summary = (op: Op) => (words.has(`summaries.${op.operationId}`) ? words(`summaries.${op.operationId}`) : op.summary);
  const place = (where: string) => (words.has(`in.${where}`) ? words(`in.${where}`) : where);
  const doc = (await openApiDocument()) as { paths: Record<string, Record<string, Op>> };
  const byTag = new Map<string, { path: string; method: string; op: Op }[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  const tags = [...byTag.keys()];
  const tryWords: TryItWords = {
    title: t("try.title"),
    send: t("try.send"),
    sending: t("try.sending"),
    body: t("requestBody"),
    answer: t("try.answer"),
    missing: t("try.missing"),
    badJson: t("try.badJson"),
    network: (await getTranslations("errors"))("network"),
  };
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-8">
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <a href="/api/v1/openapi.json" className="text-sm text-brand-700 underline underline-offset-2">
            {t("download")}
          </a>
        }
      />
      <p className="mb-4 text-sm text-slate-700">{t("guide")}</p>
      <nav aria-label={t("nav")} className="mb-6 flex flex-wrap gap-2 text-sm">
        {tags.map((tag) => (
          <a key={tag} href={`#${tag}`} className="rounded bg-white px-2 py-1 text-brand-700 underline-offset-2 shadow-sm hover:underline">
            {tagName(tag)}
          </a>
        ))}
      </nav>
      {tags.map((tag) => (
        <section key={tag} id={tag} aria-labelledby={`${tag}-title`} className="mb-8">
          <h2 id={`${tag}-title`} className="mb-3 text-xl font-semibold text-slate-900">
            {tagName(tag)}
          </h2>
          <div className="space-y-2">
            {byTag.get(tag)!.map(({ path, method, op }) => {
              const success = Object.keys(op.responses).find((s) => s.startsWith("2")) ?? "200";
              return (
                <Card key={`${method} ${path}`}>
                  <details data-testid="api-operation">
                    <summary className="flex cursor-pointer flex-wrap items-center gap-2">
                      <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_TONE[method] ?? "bg-slate-100 text-slate-800"}`}>{method}</span>
                      {/* A long path wraps rather than widen a phone's page. */}
                      <code className="min-w-0 break-all font-mono text-sm text-slate-900">{path}</code>
                      <span className="text-sm text-slate-700">{summary(op)}</span>
                    </summary>
                    <div className="mt-3 space-y-3 text-sm">
                      <p className="text-slate-700">
                        {t("permission")}: {op.security.length === 0 ? t("public") : <code>{op["x-permission"] ?? "—"}</code>}
                      </p>
                      {op.parameters?.length ? (
                        <div className="overflow-x-auto">
                          <table className="min-w-full text-left">
                            <caption className="mb-1 text-left font-medium text-slate-900">{t("parameters")}</caption>
                            <thead>
                              <tr className="text-slate-700">
                                <th scope="col" className="pr-4 font-medium">{t("name")}</th>
                                <th scope="col" className="pr-4 font-medium">{t("in")}</th>
                                <th scope="col" className="pr-4 font-medium">{t("required")}</th>
                                <th scope="col" className="font-medium">{t("schema")}</th>
                              </tr>
                            </thead>
                            <tbody>
                              {op.parameters.map((p) => (
                                <tr key={`${p.in}-${p.name}`}>
                                  <td className="pr-4 font-mono">{p.name}</td>
                                  <td className="pr-4">{place(p.in)}</td>
                                  <td className="pr-4">{p.required ? t("yes") : t("no")}</td>
                                  <td className="font-mono">{typeOf(p.schema)}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </div>
                      ) : null}
                      {op.requestBody ? (
                        <div>
                          <h3 className="font-medium text-slate-900">{t("requestBody")}</h3>
                          <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-50" tabIndex={0}>
                            {schemaText(op.requestBody.content["application/json"]?.schema)}
                          </pre>
                        </div>
                      ) : null}
                      <div>
                        <h3 className="font-medium text-slate-900">
                          {t("responses")}: {success} ({Object.keys((op.responses[success]?.content as Json | undefined) ?? {}).join(", ") || "—"})
                        </h3>
                        <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-50" tabIndex={0}>
                          {schemaText(((op.responses[success]?.content as Record<string, { schema?: Json }> | undefined)?.["application/json"])?.schema)}
                        </pre>
                        <p className="mt-1 text-slate-700">{t("errors", { status: "4xx/5xx" })}</p>
                      </div>
                      {/* The event streams answer for as long as the page is open: read them with a client, not here. */}
                      {success in op.responses && !Object.keys((op.responses[success]?.content as Json | undefined) ?? {}).includes("text/event-stream") ? (
                        <TryIt
                          method={method.toUpperCase() as ApiMethod}
                          path={path}
                          params={(op.parameters ?? [])
                            .filter((p): p is Param & { in: "path" | "query" } => p.in === "path" || p.in === "query")
                            .map((p) => ({ name: p.name, in: p.in, required: !!p.required, place: place(p.in) }))}
                          hasBody={!!op.requestBody?.content["application/json"]}
                          words={tryWords}
                        />
                      ) : null}
                    </div>
                  </details>
                </Card>
              );
            })}
          </div>
        </section>
      ))}
    </main>
  );
}
