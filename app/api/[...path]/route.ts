import { noSuchEndpoint } from "@/lib/http/dispatch";

export const dynamic = "force-dynamic";

// ANY /api/* that no route matches — a JSON 404, never an HTML page
export { noSuchEndpoint as GET, noSuchEndpoint as POST, noSuchEndpoint as PUT, noSuchEndpoint as PATCH, noSuchEndpoint as DELETE };
