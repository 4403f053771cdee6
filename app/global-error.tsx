"use client";

import { useEffect } from "react";
import en from "@/messages/en/common.json";
import ko from "@/messages/ko/common.json";
import zh from "@/messages/zh/common.json";
import { sentry } from "@/sentry.client.config";

// The last resort when the root layout itself fails: it replaces the whole document, so there is
// no language provider. The message is shown in all three languages, Korean first. The error goes
// to Sentry (nothing happens without a DSN; the event is scrubbed by beforeSend).
const LOCALES = [ko, zh, en];

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    void sentry?.then((Sentry) => Sentry.captureException(error));
  }, [error]);
  return (
    <html lang="ko">
      <head>
        <title>{LOCALES.map((m) => m.states.error).join(" · ")}</title>
      </head>
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100vh", margin: 0 }}>
        <main style={{ maxWidth: 480, padding: 24 }}>
          {LOCALES.map((m) => (
            <p key={m.actions.retry} style={{ margin: "0 0 8px" }}>
              {m.states.error} {m.states.errorHint}
            </p>
          ))}
          <button type="button" onClick={() => reset()} style={{ marginTop: 12, padding: "8px 16px" }}>
            {LOCALES.map((m) => m.actions.retry).join(" · ")}
          </button>
        </main>
      </body>
    </html>
  );
}
