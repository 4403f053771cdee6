import { deploymentEnv, env, type Env } from "@/lib/env";
import { sentryOptions } from "./sentry-options";

/** Server and edge runtimes. The release is the commit the build was made from. */
export function serverSentryOptions(e: Env = env()) {
  return sentryOptions({
    dsn: e.SENTRY_DSN ?? e.NEXT_PUBLIC_SENTRY_DSN,
    environment: deploymentEnv(e),
    release: e.DULY_BUILD_COMMIT ?? e.VERCEL_GIT_COMMIT_SHA,
    sampleRate: e.SENTRY_SAMPLE_RATE,
    tracesSampleRate: e.SENTRY_TRACES_SAMPLE_RATE,
  });
}
