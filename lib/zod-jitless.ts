import { config } from "zod";

// Imported first by instrumentation-client.ts, before anything in the browser parses: zod probes
// for `new Function` at its first object parse (to compile faster parsers), and under our CSP (no
// 'unsafe-eval') the probe is refused and reported as a violation although zod falls back. Forms
// parse little, so the browser uses the interpreter from the start. The server keeps the JIT.
config({ jitless: true });
