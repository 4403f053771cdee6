import { z } from "zod";

// The only module that reads process.env. Everything else asks env().

const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXT_PUBLIC_SUPABASE_URL: optionalString.pipe(z.url().optional()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().default(".data"),
  AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, "AUTH_JWT_SECRET must be at least 32 characters").optional()),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(60 * 60 * 24 * 30).default(60 * 60 * 8),
  SEED_DEMO_DATA: z.enum(["true", "false"]).default("true"),
  VERCEL_ENV: optionalString,
  VERCEL_GIT_COMMIT_SHA: optionalString,
  DULY_BUILD_COMMIT: optionalString,
  DULY_SCHEMA_VERSION: optionalString,
  APP_ENV: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;
export type DatabaseMode = "supabase" | "postgres" | "embedded";

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse({
      ...process.env,
      // Build-time values are inlined by next.config.ts only where named literally.
      DULY_BUILD_COMMIT: process.env.DULY_BUILD_COMMIT,
      DULY_SCHEMA_VERSION: process.env.DULY_SCHEMA_VERSION,
      NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
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
