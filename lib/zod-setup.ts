import { config } from "zod";

// Imported, first, by every module that may run in the browser and builds zod schemas (lib/schemas,
// components, lib/public-env; tests/unit/zod-setup.test.ts checks it comes first): imports run in order, so the setting
// below is made before any schema is built. zod probes for `new Function` when it builds its first
// object schema (to compile faster parsers); under our CSP (no 'unsafe-eval') the probe is refused
// and reported as a violation although zod falls back. Forms parse little, so the browser uses the
// interpreter from the start; the server keeps the JIT. (This used to be set from
// instrumentation-client.ts, which put zod on every page; now only pages whose forms validate
// download it.) A side-effect module rather than a re-export of `z`: re-exporting the namespace
// made the bundler keep all of zod (90 kB compressed instead of 31).
if (typeof window !== "undefined") config({ jitless: true });
