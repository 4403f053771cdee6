import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseMode, deploymentEnv, env, resetEnvCache } from "@/lib/env";

// Mode selection and validation, from process.env as the app sees it at start.

const saved = { ...process.env };
const MANAGED = [
  "NEXT_PUBLIC_SUPABASE_URL",
  "NEXT_PUBLIC_SUPABASE_ANON_KEY",
  "SUPABASE_SERVICE_ROLE_KEY",
  "DATABASE_URL",
  "DATA_DIR",
  "AUTH_JWT_SECRET",
  "SESSION_TTL_SECONDS",
  "SEED_DEMO_DATA",
  "VERCEL_ENV",
  "APP_ENV",
  "LOG_LEVEL",
  "APP_ORIGINS",
  "JSON_BODY_MAX_BYTES",
  "JSON_BODY_MAX_DEPTH",
  "DB_STATEMENT_TIMEOUT_MS",
  "DB_CONNECT_TIMEOUT_MS",
];

const SUPABASE = {
  NEXT_PUBLIC_SUPABASE_URL: "https://abcd.supabase.co",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon",
  SUPABASE_SERVICE_ROLE_KEY: "service",
};

function setEnv(values: Record<string, string | undefined>) {
  for (const key of MANAGED) delete process.env[key];
  for (const [k, v] of Object.entries(values)) if (v !== undefined) process.env[k] = v;
  resetEnvCache();
}

beforeEach(() => setEnv({}));

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetEnvCache();
});

describe("databaseMode", () => {
  it("is embedded with nothing configured", () => {
    expect(databaseMode()).toBe("embedded");
  });

  it("is postgres with DATABASE_URL", () => {
    setEnv({ DATABASE_URL: "postgres://u:p@127.0.0.1:5432/duly" });
    expect(databaseMode()).toBe("postgres");
  });

  it("is supabase only when all three Supabase variables are present", () => {
    setEnv(SUPABASE);
    expect(databaseMode()).toBe("supabase");
    for (const missing of Object.keys(SUPABASE)) {
      setEnv({ ...SUPABASE, [missing]: undefined });
      expect(databaseMode(), `without ${missing}`).toBe("embedded");
      setEnv({ ...SUPABASE, [missing]: undefined, DATABASE_URL: "postgres://127.0.0.1/duly" });
      expect(databaseMode(), `without ${missing}, with DATABASE_URL`).toBe("postgres");
    }
  });

  it("prefers supabase over DATABASE_URL", () => {
    setEnv({ ...SUPABASE, DATABASE_URL: "postgres://127.0.0.1/duly" });
    expect(databaseMode()).toBe("supabase");
  });

  it("treats empty strings as unset (as .env files leave them)", () => {
    setEnv({ ...SUPABASE, SUPABASE_SERVICE_ROLE_KEY: "", DATABASE_URL: "" });
    expect(databaseMode()).toBe("embedded");
    expect(env().DATABASE_URL).toBeUndefined();
  });

  it("takes an explicit Env too", () => {
    setEnv({ DATABASE_URL: "postgres://127.0.0.1/duly" });
    expect(databaseMode({ ...env(), DATABASE_URL: undefined })).toBe("embedded");
  });
});

describe("env validation", () => {
  it("applies defaults", () => {
    const e = env();
    expect(e.DATA_DIR).toBe(".data");
    expect(e.SESSION_TTL_SECONDS).toBe(8 * 3600);
    expect(e.SEED_DEMO_DATA).toBe("true");
    expect(e.LOG_LEVEL).toBe("info");
    expect(e.AUTH_JWT_SECRET).toBeUndefined();
  });

  it("refuses a short AUTH_JWT_SECRET with a clear message that does not echo it", () => {
    setEnv({ AUTH_JWT_SECRET: "short-secret-value" });
    expect(() => env()).toThrow(/AUTH_JWT_SECRET must be at least 32 characters/);
    expect(() => env()).toThrow(/^Invalid environment: /);
    try {
      env();
    } catch (error) {
      expect(String(error)).not.toContain("short-secret-value");
    }
  });

  it("accepts a 32-character AUTH_JWT_SECRET", () => {
    setEnv({ AUTH_JWT_SECRET: "x".repeat(32) });
    expect(env().AUTH_JWT_SECRET).toHaveLength(32);
  });

  it("refuses a Supabase URL that is not a URL", () => {
    setEnv({ ...SUPABASE, NEXT_PUBLIC_SUPABASE_URL: "abcd.supabase" });
    expect(() => env()).toThrow(/NEXT_PUBLIC_SUPABASE_URL/);
  });

  it("coerces and bounds SESSION_TTL_SECONDS", () => {
    setEnv({ SESSION_TTL_SECONDS: "3600" });
    expect(env().SESSION_TTL_SECONDS).toBe(3600);
    for (const bad of ["60", "abc", "1.5", String(60 * 60 * 24 * 31)]) {
      setEnv({ SESSION_TTL_SECONDS: bad });
      expect(() => env(), bad).toThrow(/SESSION_TTL_SECONDS/);
    }
  });

  it("refuses unknown enum values", () => {
    setEnv({ LOG_LEVEL: "verbose" });
    expect(() => env()).toThrow(/LOG_LEVEL/);
    setEnv({ SEED_DEMO_DATA: "yes" });
    expect(() => env()).toThrow(/SEED_DEMO_DATA/);
  });

  it("defaults the input limits and database timeouts, and bounds them", () => {
    expect(env()).toMatchObject({
      APP_ORIGINS: [],
      JSON_BODY_MAX_BYTES: 1024 * 1024,
      JSON_BODY_MAX_DEPTH: 32,
      DB_STATEMENT_TIMEOUT_MS: 8000,
      DB_CONNECT_TIMEOUT_MS: 3000,
    });
    setEnv({ DB_STATEMENT_TIMEOUT_MS: "2500", DB_CONNECT_TIMEOUT_MS: "", JSON_BODY_MAX_DEPTH: "8" });
    expect(env()).toMatchObject({ DB_STATEMENT_TIMEOUT_MS: 2500, DB_CONNECT_TIMEOUT_MS: 3000, JSON_BODY_MAX_DEPTH: 8 });
    for (const [key, bad] of [["DB_STATEMENT_TIMEOUT_MS", "0"], ["DB_CONNECT_TIMEOUT_MS", "soon"], ["JSON_BODY_MAX_BYTES", "10"], ["JSON_BODY_MAX_DEPTH", "100000"]]) {
      setEnv({ [key]: bad });
      expect(() => env(), key).toThrow(new RegExp(key));
    }
  });

  it("APP_ORIGINS is a list of exact origins", () => {
    setEnv({ APP_ORIGINS: "https://erp.example.com, http://127.0.0.1:3000" });
    expect(env().APP_ORIGINS).toEqual(["https://erp.example.com", "http://127.0.0.1:3000"]);
    for (const bad of ["erp.example.com", "https://erp.example.com/", "https://erp.example.com/app", "HTTPS://ERP.EXAMPLE.COM"]) {
      setEnv({ APP_ORIGINS: bad });
      expect(() => env(), bad).toThrow(/APP_ORIGINS/);
    }
  });

  it("names every problem at once", () => {
    setEnv({ AUTH_JWT_SECRET: "short", LOG_LEVEL: "loud" });
    expect(() => env()).toThrow(/AUTH_JWT_SECRET.*; LOG_LEVEL|LOG_LEVEL.*; AUTH_JWT_SECRET/);
  });

  it("is parsed once and cached until resetEnvCache", () => {
    setEnv({});
    expect(databaseMode()).toBe("embedded");
    process.env.DATABASE_URL = "postgres://127.0.0.1/duly";
    expect(databaseMode()).toBe("embedded");
    resetEnvCache();
    expect(databaseMode()).toBe("postgres");
  });
});

describe("deploymentEnv", () => {
  it("prefers VERCEL_ENV, then APP_ENV, then NODE_ENV", () => {
    setEnv({ VERCEL_ENV: "preview", APP_ENV: "production" });
    expect(deploymentEnv()).toBe("preview");
    setEnv({ APP_ENV: "staging" });
    expect(deploymentEnv()).toBe("staging");
    setEnv({});
    expect(deploymentEnv({ ...env(), NODE_ENV: "production" })).toBe("production");
    expect(deploymentEnv({ ...env(), NODE_ENV: "test" })).toBe("development");
  });
});
