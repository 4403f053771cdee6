import { AppError } from "@/lib/errors";
import { handler } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// ANY /api/* that no route matches — a JSON 404, never an HTML page
const notFound = handler({ auth: "none" }, async () => {
  throw new AppError("not_found", "No such API endpoint");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
