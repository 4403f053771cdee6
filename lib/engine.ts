import { databaseMode, deploymentEnv, env } from "@/lib/env";

// Engine identity (from the ops manual): which code, schema and environment answered. Sent as
// X-Engine-* headers on every response and in /healthz.

export const APP_NAME = "Duly ERP";
export const APP_VERSION = "0.1.0";

export type EngineInfo = { name: string; commit: string; schema: string; env: string };

export function engineInfo(): EngineInfo {
  const e = env();
  return {
    name: `duly-erp@${databaseMode(e)}`,
    commit: (e.VERCEL_GIT_COMMIT_SHA ?? e.DULY_BUILD_COMMIT ?? "dev").slice(0, 12),
    schema: e.DULY_SCHEMA_VERSION ?? "unknown",
    env: deploymentEnv(e),
  };
}

export function setEngineHeaders(headers: Headers, info: EngineInfo = engineInfo()): void {
  headers.set("X-Engine-Name", info.name);
  headers.set("X-Engine-Commit", info.commit);
  headers.set("X-Engine-Schema", info.schema);
  headers.set("X-Engine-Env", info.env);
}
