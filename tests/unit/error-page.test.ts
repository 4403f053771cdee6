import { readFileSync } from "node:fs";
import path from "node:path";
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import RootError from "@/app/error";

// The error page a user meets when a page fails to load (app/error.tsx): its <title>, message and
// retry button are in the user's language, like every other page's (the 404 page's title is
// checked in the browser, tests/e2e/not-found.spec.ts; an error cannot be caused on purpose there).

type Common = { appName: string; pages: { errorTitle: string }; states: { error: string }; actions: { retry: string } };
const common = (locale: string): Common => JSON.parse(readFileSync(path.resolve(__dirname, "../../messages", locale, "common.json"), "utf8"));

function render(locale: "ko" | "zh" | "en"): string {
  const page = createElement(RootError, { error: Object.assign(new Error("boom"), { digest: "d1" }), retry: () => undefined });
  const props: Omit<ComponentProps<typeof NextIntlClientProvider>, "children"> = { locale, messages: { common: common(locale) }, timeZone: "Asia/Seoul" };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, props as ComponentProps<typeof NextIntlClientProvider>, page));
}

describe("the error page", () => {
  it.each(["ko", "zh"] as const)("%s: the title, message and retry in the user's language, no English", (locale) => {
    const m = common(locale);
    const html = render(locale);
    expect(html).toContain(`<title>${m.pages.errorTitle} · ${m.appName}</title>`);
    expect(html).toContain(m.states.error);
    expect(html).toContain(m.actions.retry);
    const text = html.replace(/<[^>]+>/g, " ").replace(m.appName, "").replace(/ID: d1/, "");
    expect(text).not.toMatch(/[A-Za-z]{3,}/);
  });

  it("en: the English title, so the check above can tell the languages apart", () => {
    expect(render("en")).toContain(`<title>${common("en").pages.errorTitle} · Duly ERP</title>`);
  });
});
