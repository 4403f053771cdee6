import { config, z } from "zod";

// zod for everything that may run in the browser (lib/schemas, components, lib/public-env): the
// one place it is imported from there, so that the browser setting below is made before any schema
// is built. zod probes for `new Function` when it builds its first object schema (to compile
// faster parsers); under our CSP (no 'unsafe-eval') the probe is refused and reported as a
// violation although zod falls back. Forms parse little, so the browser uses the interpreter from
// the start; the server keeps the JIT. (This used to be set from instrumentation-client.ts, which
// put all of zod on every page; now only the pages whose forms validate download it.)
if (typeof window !== "undefined") config({ jitless: true });

export { z };
