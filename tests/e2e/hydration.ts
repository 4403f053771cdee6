import type { Locator } from "@playwright/test";

/**
 * Waits until React has hydrated the element. Typing into server-rendered HTML before that is
 * lost to the component's state (the input shows the text, the form does not know it), so a test
 * must not fill a form before its fields are hydrated.
 */
export async function hydrated(locator: Locator): Promise<void> {
  await locator.waitFor();
  await locator.evaluate(
    (el) =>
      new Promise<void>((resolve) => {
        const ready = () => Object.keys(el).some((k) => k.startsWith("__reactFiber"));
        const poll = () => (ready() ? resolve() : setTimeout(poll, 25));
        poll();
      }),
  );
}
