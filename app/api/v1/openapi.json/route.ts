import { handler, json } from "@/lib/http/handler";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of this API, generated from the handlers' zod schemas
export const GET = handler({ auth: "none" }, async () => json(await openApiDocument()));
