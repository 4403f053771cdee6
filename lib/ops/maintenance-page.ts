import en from "@/messages/en/ops.json";
import ko from "@/messages/ko/ops.json";
import zh from "@/messages/zh/ops.json";
import { COMPANY_TIME_ZONE } from "@/lib/format";
import { INTL_TAGS, type Locale } from "@/lib/i18n/locales";
import { retryAfterSeconds, type MaintenanceState } from "./maintenance";

// The page everyone but admins gets during maintenance: plain HTML in their language, sent by the
// proxy with 503 and Retry-After (no React, no script, nothing from the database beyond the state).

const WORDS = { en, ko, zh } as const;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function maintenanceHtml(locale: Locale, state: Pick<MaintenanceState, "message" | "ends_at">): string {
  const w = WORDS[locale].maintenance;
  const until = state.ends_at
    ? w.until.replace(
        "{time}",
        new Intl.DateTimeFormat(INTL_TAGS[locale], { dateStyle: "medium", timeStyle: "short", timeZone: COMPANY_TIME_ZONE }).format(new Date(state.ends_at)),
      )
    : null;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(w.title)} · Duly ERP</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Noto Sans KR","Noto Sans SC",sans-serif;background:#f8fafc;color:#0f172a;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{max-width:32rem;margin:1.5rem;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem}
h1{font-size:1.5rem;margin:0 0 1rem}p{line-height:1.6;margin:.5rem 0}.note{border-left:3px solid #64748b;padding-left:.75rem;color:#334155}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(w.heading)}</h1>
<p>${escapeHtml(w.body)}</p>
${until ? `<p><strong>${escapeHtml(until)}</strong></p>` : ""}
${state.message ? `<p class="note"><span>${escapeHtml(w.message)}:</span> ${escapeHtml(state.message)}</p>` : ""}
</main>
</body>
</html>`;
}

export function maintenanceResponse(locale: Locale, state: MaintenanceState): Response {
  return new Response(maintenanceHtml(locale, state), {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Retry-After": String(retryAfterSeconds(state)),
      "Cache-Control": "no-store",
    },
  });
}
