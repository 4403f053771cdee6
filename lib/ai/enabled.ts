import "server-only";
import { AppError } from "@/lib/errors";
import { translationEnabled } from "./index";

/** Every translation endpoint answers 404 not_enabled while no OPENAI_API_KEY is set. */
export function requireTranslation(): void {
  if (!translationEnabled()) throw new AppError("not_enabled", "Machine translation is not turned on");
}
