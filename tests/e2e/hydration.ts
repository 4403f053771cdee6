import type { Locator } from "@playwright/test";

/**
 * Waits until React has hydrated the element. A useForm form takes over what was typed before
 * (components/toolkit/early-input.ts, tested in typing-before-hydration.spec.ts), but other
 * controls (a button that opens a dialog) do nothing until then, and a test that fills a hydrated
 * form tests the form itself rather than the replay.
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
