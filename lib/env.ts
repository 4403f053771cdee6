import { z } from "zod";
import { optionalString, publicSchema, sampleRate } from "./public-env";

// The only module that reads the server's process.env. Everything else asks env(). (What the
// browser may know is in lib/public-env.ts, so the browser bundle never carries this schema.)

export { publicEnv, type PublicEnv } from "./public-env";

/** A whole number (milliseconds, bytes, levels) within bounds; an empty value means the default. */
const bounded = (fallback: number, min: number, max: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(min).max(max).default(fallback));

// An empty value means the default, never 0 (which turns the limit off).
const perMinute = (fallback: number) => bounded(fallback, 0, 100_000);

/** scheme://host[:port] exactly as a browser sends it in Origin (lower case, no path, no slash). */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/** A comma-separated list of origins. */
const originList = optionalString
  .transform((v) => (v ?? "").split(",").map((o) => o.trim()).filter((o) => o !== ""))
  .pipe(z.array(z.string().refine(isOrigin, "Each entry must be an origin such as https://erp.example.com")));

// TRUSTED_PROXIES: how many proxies in front of the app append to X-Forwarded-For ("1"), or which
// addresses they have ("10.0.0.0/8, 192.0.2.7"). Unset: X-Forwarded-For is not trusted at all.
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;
export type TrustedProxies = { hops: number } | { proxies: string[] };
const trustedProxies = optionalString.transform((v, ctx): TrustedProxies | undefined => {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) {
    const hops = Number(v.trim());
    if (hops < 1 || hops > 10) ctx.addIssue({ code: "custom", message: "TRUSTED_PROXIES is a count of 1 to 10, or a list of addresses" });
    return { hops };
  }
  const proxies = v.split(",").map((p) => p.trim()).filter(Boolean);
  const bad = proxies.filter((p) => !ADDRESS.test(p));
  if (bad.length > 0 || proxies.length === 0) ctx.addIssue({ code: "custom", message: `TRUSTED_PROXIES has entries that are not addresses: ${bad.join(", ")}` });
  return { proxies };
});

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_PUBLIC_SUPABASE_URL: optionalString.pipe(z.url().optional()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  // Supabase mode: the project's JWT secret, to run a personal access token's requests as its user
  // (docs/api.md). Unset, tokens are refused there (401); sessions are unaffected.
  SUPABASE_JWT_SECRET: optionalString.pipe(z.string().min(32, "SUPABASE_JWT_SECRET must be at least 32 characters").optional()),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default(".data"),
  AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, "AUTH_JWT_SECRET must be at least 32 characters").optional()),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(60 * 60 * 24 * 30).default(60 * 60 * 8),
  // The absolute limit of an embedded session (auth.sessions.not_after): sliding never goes past it.
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(300).max(60 * 60 * 24 * 365).default(60 * 60 * 24 * 7),
  SEED_DEMO_DATA: z.enum(["true", "false"]).default("true"),
  VERCEL_ENV: optionalString,
  VERCEL_GIT_COMMIT_SHA: optionalString,
  DULY_BUILD_COMMIT: optionalString,
  DULY_SCHEMA_VERSION: optionalString,
  APP_ENV: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // Rate limits, per minute (docs/security.md). 0 turns one off (benchmarks, load tests).
  RATE_LIMIT_LOGIN_EMAIL_IP_PER_MINUTE: perMinute(5),
  RATE_LIMIT_LOGIN_EMAIL_PER_MINUTE: perMinute(50),
  RATE_LIMIT_LOGIN_IP_PER_MINUTE: perMinute(20),
  RATE_LIMIT_WRITES_PER_MINUTE: perMinute(120),
  RATE_LIMIT_READS_PER_MINUTE: perMinute(600),
  RATE_LIMIT_READS_PER_ADDRESS_PER_MINUTE: perMinute(3000),
  // Where the client's address comes from (lib/http/client-address.ts). Vercel sets VERCEL=1.
  VERCEL: optionalString,
  TRUSTED_PROXIES: trustedProxies,
  // Cross-site requests (docs/security.md): origins besides the app's own whose browser writes
  // are accepted, e.g. https://erp.example.com when a proxy hides the public host from the app.
  APP_ORIGINS: originList,
  // Input limits (docs/security.md): a JSON body's size in bytes and nesting depth.
  JSON_BODY_MAX_BYTES: bounded(1024 * 1024, 1024, 50 * 1024 * 1024),
  JSON_BODY_MAX_DEPTH: bounded(32, 4, 512),
  // Database outages (docs/security.md): how long a statement may run, and how long a request
  // waits for a connection (a free one in the pool, or a new one being opened). Past them the
  // request answers 503 instead of hanging until the platform kills the function.
  DB_STATEMENT_TIMEOUT_MS: bounded(8000, 100, 600_000),
  DB_CONNECT_TIMEOUT_MS: bounded(3000, 100, 60_000),
  // Vercel Cron sends it as `Authorization: Bearer …`; unset, the /api/cron/* jobs refuse every call.
  CRON_SECRET: optionalString.pipe(z.string().min(16, "CRON_SECRET must be at least 16 characters").optional()),
  // Slack incoming webhook for the morning low-stock digest; unset, the digest waits undelivered.
  SLACK_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  // Email (docs/operations.md "Email"): SMTP server as smtp[s]://user:pass@host:port, the sender
  // ("Duly ERP <erp@example.com>"), and the app's public URL for links in emails. Without the
  // first two, email waits in the outbox (nothing is lost) until they are set.
  SMTP_URL: optionalString.pipe(
    z.string().refine((v) => /^smtps?:\/\/[^\s]+$/.test(v) && URL.canParse(v), "SMTP_URL must look like smtp://user:pass@host:587 or smtps://…").optional(),
  ),
  MAIL_FROM: optionalString.pipe(z.string().max(320).regex(/^(?:[^<>]*<)?[^@\s<>]+@[^@\s<>]+>?$/, "MAIL_FROM must be an address, e.g. Duly ERP <erp@example.com>").optional()),
  APP_URL: optionalString.pipe(z.string().refine(isOrigin, "APP_URL is the app's public origin, e.g. https://erp.example.com (no path, no slash)").optional()),
  // Machine translation (docs/security.md "Translation"). Without a key the feature is off and
  // hidden everywhere; the key is the server's alone (never NEXT_PUBLIC_).
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString.transform((v) => v ?? "gpt-4.1-mini"),
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  // Per attempt; the SDK retries 429, 5xx, timeouts and lost connections with backoff.
  OPENAI_TIMEOUT_MS: bounded(15_000, 500, 120_000),
  OPENAI_MAX_RETRIES: bounded(2, 0, 5),
  // Characters sent for translation: per user per day (KST) and for everyone per month. 0: no limit.
  TRANSLATION_USER_DAILY_CHARS: bounded(20_000, 0, 100_000_000),
  TRANSLATION_MONTHLY_CHARS: bounded(2_000_000, 0, 1_000_000_000),
  // Monitoring (docs/monitoring.md). Without a DSN, Sentry is never initialised and sends nothing.
  SENTRY_DSN: optionalString.pipe(z.url().optional()),
  NEXT_PUBLIC_SENTRY_DSN: publicSchema.shape.NEXT_PUBLIC_SENTRY_DSN,
  SENTRY_SAMPLE_RATE: sampleRate(1),
  SENTRY_TRACES_SAMPLE_RATE: sampleRate(0.1),
  NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: publicSchema.shape.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
  // Build only: source maps are uploaded when the token is set, and nothing is sent otherwise.
  SENTRY_AUTH_TOKEN: optionalString,
  SENTRY_ORG: optionalString,
  SENTRY_PROJECT: optionalString,
  // Operations (docs/operations.md). Request metrics: "off" stops recording them (the unit and
  // API tests, which turn it on where they test it).
  OPS_METRICS: z.enum(["on", "off"]).default("on"),
  // Maintenance mode forced on for every instance whatever the database says ("1"/"true").
  MAINTENANCE_MODE: optionalString.transform((v) => v === "1" || v === "true"),
  // Where alert emails go (the on-call); the alert job hands them to the mail outbox.
  ALERT_ONCALL_EMAIL: optionalString.pipe(z.email().optional()),
  // After an alert's message, how long it stays quiet while it keeps firing.
  ALERT_COOLDOWN_MINUTES: bounded(60, 5, 7 * 24 * 60),
  // The rate rules judge a 5-minute window only once it holds this many requests.
  ALERT_MIN_REQUESTS: bounded(20, 1, 1_000_000),
  ALERT_ERROR_RATE_PERCENT: bounded(5, 1, 100),
  ALERT_CONNECTIONS_PERCENT: bounded(80, 1, 100),
  // The database size the plan allows, in MB (Supabase Pro: 8192); unset, the size rule is off.
  DB_PLAN_SIZE_MB: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).optional()),
  ALERT_DB_SIZE_PERCENT: bounded(85, 1, 100),
  // 0 turns the backup rule off (where nothing runs npm run db:backup and Supabase's own backups are trusted).
  ALERT_BACKUP_MAX_AGE_HOURS: bounded(26, 0, 24 * 30),
  // Failed sign-ins in 15 minutes.
  ALERT_FAILED_SIGNINS: bounded(30, 1, 1_000_000),
  // Direct uploads still pending 3 hours after they began.
  ALERT_STALE_UPLOADS: bounded(5, 0, 1_000_000),
  // Hours a submitted flow may wait for approval.
  ALERT_FLOW_WAIT_HOURS: bounded(48, 1, 24 * 90),
  // Hours a daily job may go without a successful run; 0 turns the rule off.
  ALERT_JOB_STALE_HOURS: bounded(36, 0, 24 * 30),
  // Sentry's API for npm run ops:sentry-alerts (tests point it at a fake).
  SENTRY_API_URL: optionalString.pipe(z.url().optional()),
  SENTRY_ALERT_TEAM_ID: optionalString,
  // Server-side analytics events are sent only where Vercel's endpoint is known.
  VERCEL_URL: optionalString,
  VERCEL_WEB_ANALYTICS_ENDPOINT: optionalString,
});

export type Env = z.infer<typeof schema>;
export type DatabaseMode = "supabase" | "postgres" | "embedded";

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse({
      ...process.env,
      // Build-time values are inlined by next.config.mjs only where named literally.
      DULY_BUILD_COMMIT: process.env.DULY_BUILD_COMMIT,
      DULY_SCHEMA_VERSION: process.env.DULY_SCHEMA_VERSION,
      NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
      NEXT_PUBLIC_SENTRY_DSN: process.env.NEXT_PUBLIC_SENTRY_DSN,
      NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
    });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Forget the parsed environment (tests and scripts that change process.env). */
export function resetEnvCache(): void {
  cached = undefined;
}

export function databaseMode(e: Env = env()): DatabaseMode {
  if (e.NEXT_PUBLIC_SUPABASE_URL && e.NEXT_PUBLIC_SUPABASE_ANON_KEY && e.SUPABASE_SERVICE_ROLE_KEY) return "supabase";
  if (e.DATABASE_URL) return "postgres";
  return "embedded";
}

/** production | preview | development, as Vercel names them. */
export function deploymentEnv(e: Env = env()): string {
  return e.VERCEL_ENV ?? e.APP_ENV ?? (e.NODE_ENV === "production" ? "production" : "development");
}
