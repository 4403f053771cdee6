import { resetEnvCache } from "@/lib/env";

/** Sets (or, for undefined, removes) environment variables and makes lib/env.ts read them again. */
export function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
