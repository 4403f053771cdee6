import "server-only";
import { translationEnabled } from "@/lib/ai";
import type { Actor } from "@/lib/auth";
import { getTranslationSettings } from "@/lib/data/translations";

/** For a page with a message thread: the user's automatic-translation switch, or undefined when translation is off. */
export async function translationUi(actor: Actor): Promise<{ auto: boolean } | undefined> {
  if (!translationEnabled()) return undefined;
  const settings = await getTranslationSettings(actor.caller).catch(() => ({ auto_translate: false }));
  return { auto: settings.auto_translate };
}

export { translationEnabled };
