// The browser tests of machine translation run against their own server: the same production
// build, started a second time with OPENAI_API_KEY set and OPENAI_BASE_URL pointing at a fake
// OpenAI server on loopback, on its own data folder. The main server (every other spec) keeps
// translation off, so nothing else in the suite sees a Translate button.

import { E2E_BASE_PORT } from "./server-slot";

// Above the per-worker servers (E2E_PORT + slot, tests/e2e/server-slot.ts).
export const TRANSLATION_PORT = E2E_BASE_PORT + 8;
export const FAKE_OPENAI_PORT = E2E_BASE_PORT + 9;
export const TRANSLATION_BASE_URL = `http://localhost:${TRANSLATION_PORT}`;
