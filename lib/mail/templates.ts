import { createTranslator } from "use-intl/core";
import en from "@/messages/en/email.json";
import ko from "@/messages/ko/email.json";
import zh from "@/messages/zh/email.json";
import enFlows from "@/messages/en/flows.json";
import koFlows from "@/messages/ko/flows.json";
import zhFlows from "@/messages/zh/flows.json";
import enInspections from "@/messages/en/inspections.json";
import koInspections from "@/messages/ko/inspections.json";
import zhInspections from "@/messages/zh/inspections.json";
import { INTL_TAGS, isLocale, type Locale } from "@/lib/i18n/locales";

// Every email in the recipient's language, as plain text and HTML, from messages/<locale>/email.json
// (and the flow and inspection words of their own catalogues). A template sees only the data of its
// own outbox row, which the database assembled from the recipient's own records; values are
// escaped in HTML and never become markup.

export const EMAIL_KINDS = ["inspection_scheduled", "inspection_report_ready", "inspection_completed", "thread_message", "approval_digest", "ops_alert"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export type EmailInput = { kind: EmailKind; locale: string; recipientName?: string | null; inspectionId?: string | null; data: Record<string, unknown> };
export type RenderedEmail = { subject: string; text: string; html: string };

const CATALOGUES = {
  ko: { email: ko, flows: koFlows, inspections: koInspections },
  zh: { email: zh, flows: zhFlows, inspections: zhInspections },
  en: { email: en, flows: enFlows, inspections: enInspections },
} as const;

type Block = { lines: string[]; fields?: [string, string][]; quotes?: [string, string][]; link?: string };

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** Where each kind of email links to, and which account page turns it off. */
export function recordLink(appUrl: string, input: Pick<EmailInput, "kind" | "inspectionId" | "data">): string {
  switch (input.kind) {
    case "approval_digest":
      return `${appUrl}/flows?status=submitted`;
    case "ops_alert":
      return str(input.data.url) || `${appUrl}/admin/status`;
    default:
      return `${appUrl}/portal/inspections/${encodeURIComponent(input.inspectionId ?? "")}`;
  }
}

function preferencesLink(appUrl: string, kind: EmailKind): string {
  return kind === "approval_digest" ? `${appUrl}/account` : `${appUrl}/portal/account`;
}

export function renderEmail(input: EmailInput, appUrl: string): RenderedEmail {
  const locale: Locale = isLocale(input.locale) ? input.locale : "ko";
  const messages = CATALOGUES[locale];
  const t = createTranslator({ locale, messages, namespace: "email" });
  const tAll = createTranslator({ locale, messages });
  const d = input.data;
  const date = (v: unknown) => {
    const s = str(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return s;
    return new Intl.DateTimeFormat(INTL_TAGS[locale], { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(`${s.slice(0, 10)}T00:00:00Z`));
  };
  const link = recordLink(appUrl, input);
  const number = str(d.number);
  let subject: string;
  const block: Block = { lines: [], link };

  const inspectionFields = (withResult: boolean): [string, string][] => {
    const f: [string, string][] = [
      [t("fields.number"), number],
      [t("fields.product"), str(d.product)],
      [t("fields.factory"), str(d.factory_name)],
    ];
    const type = str(d.inspection_type);
    if (type && tAll.has(`inspections.types.${type}` as never)) f.push([t("fields.type"), tAll(`inspections.types.${type}` as never)]);
    if (d.scheduled_date) f.push([t("fields.date"), date(d.scheduled_date)]);
    if (d.inspector_name) f.push([t("fields.inspector"), str(d.inspector_name)]);
    const result = str(d.result);
    if (withResult && result && tAll.has(`inspections.results.${result}` as never)) f.push([t("fields.result"), tAll(`inspections.results.${result}` as never)]);
    return f;
  };

  switch (input.kind) {
    case "inspection_scheduled": {
      const re = d.rescheduled === true;
      subject = t(re ? "inspection_scheduled.rescheduledSubject" : "inspection_scheduled.subject", { number });
      block.lines.push(t(re ? "inspection_scheduled.rescheduledIntro" : "inspection_scheduled.intro", { number }));
      block.fields = inspectionFields(false);
      break;
    }
    case "inspection_report_ready":
      subject = t("inspection_report_ready.subject", { number });
      block.lines.push(t("inspection_report_ready.intro", { number }));
      block.fields = inspectionFields(true);
      break;
    case "inspection_completed":
      subject = t("inspection_completed.subject", { number });
      block.lines.push(t("inspection_completed.intro", { number }));
      block.fields = inspectionFields(true);
      break;
    case "thread_message": {
      const messagesList = Array.isArray(d.messages) ? (d.messages as Record<string, unknown>[]) : [];
      const count = Number(d.unread ?? messagesList.length);
      subject = t("thread_message.subject", { number });
      block.lines.push(t("thread_message.intro", { number, product: str(d.product), count }));
      block.quotes = messagesList.map((m) => [t("thread_message.from", { name: str(m.sender_name) || "Duly Trading" }), str(m.body)]);
      if (count > messagesList.length) block.lines.push(t("thread_message.more"));
      break;
    }
    case "approval_digest": {
      const flows = Array.isArray(d.flows) ? (d.flows as Record<string, unknown>[]) : [];
      const count = Number(d.total ?? flows.length);
      subject = t("approval_digest.subject", { count });
      block.lines.push(t("approval_digest.intro", { count }));
      for (const f of flows) {
        const kind = str(f.kind);
        const kindWord = tAll.has(`flows.kinds.${kind}` as never) ? tAll(`flows.kinds.${kind}` as never) : kind;
        block.lines.push(`• ${t("approval_digest.line", { number: str(f.number), kind: kindWord, name: str(f.submitted_by) || "-" })}`);
      }
      if (count > flows.length) block.lines.push(t("approval_digest.more", { count: count - flows.length }));
      break;
    }
    case "ops_alert":
      // Operations mail: the alert job writes subject and body itself (in English for the on-call).
      subject = str(d.subject) || "Duly ERP alert";
      block.lines.push(...str(d.text).split("\n"));
      break;
  }

  const greeting = input.kind === "ops_alert" ? null : input.recipientName ? t("greeting", { name: input.recipientName }) : t("greetingNoName");
  const footer = input.kind === "ops_alert" ? t("footerOps") : t("footer", { url: preferencesLink(appUrl, input.kind) });

  const text = [
    ...(greeting ? [greeting, ""] : []),
    ...block.lines,
    ...(block.fields?.length ? ["", ...block.fields.map(([k, v]) => `${k}: ${v}`)] : []),
    ...(block.quotes ?? []).flatMap(([who, body]) => ["", who, ...body.split("\n").map((l) => `> ${l}`)]),
    "",
    t("openLink", { url: link }),
    "",
    "-- ",
    footer,
  ].join("\n");

  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    `<body style="font-family:system-ui,sans-serif;color:#0f172a;line-height:1.5">`,
    ...(greeting ? [`<p>${e(greeting)}</p>`] : []),
    ...block.lines.map((l) => `<p>${e(l)}</p>`),
    ...(block.fields?.length
      ? [`<table>${block.fields.map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${e(k)}</th><td>${e(v)}</td></tr>`).join("")}</table>`]
      : []),
    ...(block.quotes ?? []).map(([who, body]) => `<p><strong>${e(who)}</strong></p><blockquote style="border-left:3px solid #cbd5e1;margin:0;padding-left:1em;white-space:pre-wrap">${e(body)}</blockquote>`),
    `<p><a href="${e(link)}">${e(t("openButton"))}</a></p>`,
    `<hr><p style="color:#64748b;font-size:12px">${e(footer)}</p>`,
    `</body></html>`,
  ].join("\n");

  return { subject, text, html };
}
