"use client";

import { useEffect } from "react";
import en from "@/messages/en/fatal.json";
import ko from "@/messages/ko/fatal.json";
import zh from "@/messages/zh/fatal.json";
import { sentry } from "@/sentry.client.config";

// The last resort when the root layout itself fails: it replaces the whole document, so there is
// no language provider. The message is shown in all three languages, Korean first. The error goes
// to Sentry (nothing happens without a DSN; the event is scrubbed by beforeSend). Its messages are
// a namespace of their own (fatal.json, three strings): this component's code is downloaded with
// every page, and importing common.json here put all three languages' common catalogues in it.
const LOCALES = [ko, zh, en];

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    void sentry?.then((Sentry) => Sentry?.captureException(error));
  }, [error]);
  return (
    <html lang="ko">
      <head>
        <title>{LOCALES.map((m) => m.error).join(" · ")}</title>
      </head>
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh", margin: 0 }}>
        <main style={{ maxWidth: 480, padding: 24 }}>
          {LOCALES.map((m) => (
            <p key={m.retry} style={{ margin: "0 0 8px" }}>
              {m.error} {m.errorHint}
            </p>
          ))}
          <button type="button" onClick={() => reset()} style={{ marginTop: 12, padding: "8px 16px" }}>
            {LOCALES.map((m) => m.retry).join(" · ")}
          </button>
        </main>
      </body>
    </html>
  );
}
