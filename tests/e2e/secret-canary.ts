// A stand-in for the service-role key in the browser tests. `npm run test:e2e` builds with it as
// SUPABASE_SERVICE_ROLE_KEY (as Vercel builds with the real key) and playwright.config.ts starts
// the server with it; secrets.spec.ts looks for it in the client bundle and in responses. Alone
// (no Supabase URL and anon key) it does not switch the app to Supabase mode (lib/env.ts).
export const SERVICE_ROLE_CANARY = "duly-e2e-service-role-canary-5b0d7e2c9a41f6e3";
