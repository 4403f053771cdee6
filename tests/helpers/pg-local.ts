// The real-Postgres tests create and drop databases: they run only against a server on this
// machine, never one that TEST_DATABASE_URL happens to point at elsewhere.

// What the `pg` project's global setup (pg-template.ts) passes to the test files.
declare module "vitest" {
  export interface ProvidedContext {
    /** TEST_DATABASE_URL, checked to be local. */
    pgAdminUrl: string;
    /** The migrated, seeded template of this run. */
    pgTemplate: string;
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Throws unless `url` is a postgres:// URL whose host is localhost, 127.0.0.1 or ::1. */
export function assertLocalDatabaseUrl(url: string | undefined): URL {
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("TEST_DATABASE_URL is not a valid URL");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`TEST_DATABASE_URL must be a postgres:// URL, not ${parsed.protocol}`);
  }
  // A host in the query string (libpq's ?host=) would override the one in the authority.
  if (parsed.searchParams.has("host") || parsed.searchParams.has("hostaddr")) {
    throw new Error("TEST_DATABASE_URL must name its host in the URL, not in ?host=");
  }
  if (!LOCAL_HOSTS.has(parsed.hostname)) {
    throw new Error(
      `Refusing to run destructive database tests against ${parsed.hostname || "(no host)"}: ` +
        "TEST_DATABASE_URL must point at localhost, 127.0.0.1 or ::1",
    );
  }
  return parsed;
}

/** The same server and credentials, another database. */
export function databaseUrl(base: URL, database: string): string {
  const url = new URL(base.toString());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Test databases are named duly_test_<pid of the vitest process>_<suffix>. */
export const TEST_DB_PREFIX = "duly_test_";

export function testDatabaseName(ownerPid: number, suffix: string): string {
  const name = `${TEST_DB_PREFIX}${ownerPid}_${suffix}`;
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`Bad test database name: ${name}`);
  return name;
}

/** The pid of the run that made a test database, or null when the name is not one of ours. */
export function ownerPidOf(name: string): number | null {
  const m = /^duly_test_(\d+)_[a-z0-9_]+$/.exec(name);
  return m ? Number(m[1]) : null;
}
