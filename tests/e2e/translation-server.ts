// The browser tests of machine translation run against their own server: the same production
// build, started a second time with OPENAI_API_KEY set and OPENAI_BASE_URL pointing at a fake
// OpenAI server on loopback, on its own data folder. The main server (every other spec) keeps
// translation off, so nothing else in the suite sees a Translate button.

const base = Number(process.env.E2E_PORT ?? 3210);
export const TRANSLATION_PORT = base + 1;
export const FAKE_OPENAI_PORT = base + 2;
export const TRANSLATION_BASE_URL = `http://localhost:${TRANSLATION_PORT}`;
