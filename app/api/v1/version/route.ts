import { handler, json } from "@/lib/http/handler";
import { APP_NAME, APP_VERSION, engineInfo } from "@/lib/engine";
import { databaseMode } from "@/lib/env";

export const dynamic = "force-dynamic";

// GET /api/v1/version — build identity, no database
export const GET = handler({ auth: "none" }, async () =>
  json({ data: { app: APP_NAME, version: APP_VERSION, mode: databaseMode(), engine: engineInfo() } }),
);
