// npm run ops:sentry-alerts — create or update the operations manual's Sentry alert rules
// (lib/ops/sentry-alerts.ts). Needs SENTRY_AUTH_TOKEN (scopes alerts:write, project:write),
// SENTRY_ORG and SENTRY_PROJECT; SENTRY_API_URL for a self-hosted Sentry (default sentry.io);
// SENTRY_ALERT_TEAM_ID to email a team from the metric alerts. Idempotent: run it after every
// change of the rules, and once per environment (APP_ENV, default production).
import { env } from "@/lib/env";
import { provisionSentryAlerts } from "@/lib/ops/sentry-alerts";

async function main() {
  const e = env();
  if (!e.SENTRY_AUTH_TOKEN || !e.SENTRY_ORG || !e.SENTRY_PROJECT) {
    throw new Error("Set SENTRY_AUTH_TOKEN, SENTRY_ORG and SENTRY_PROJECT");
  }
  const results = await provisionSentryAlerts({
    apiUrl: e.SENTRY_API_URL ?? "https://sentry.io",
    token: e.SENTRY_AUTH_TOKEN,
    org: e.SENTRY_ORG,
    project: e.SENTRY_PROJECT,
    environment: e.APP_ENV ?? "production",
    teamId: e.SENTRY_ALERT_TEAM_ID,
  });
  for (const r of results) console.log(`${r.action.padEnd(9)} ${r.kind.padEnd(6)} ${r.name}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
