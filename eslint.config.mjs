import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Code that may run in the browser takes zod from lib/zod.ts, which sets it up for our CSP
    // before any schema is built (see there).
    files: ["components/**", "lib/schemas/**", "lib/i18n/**", "lib/public-env.ts", "app/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "zod", message: "Import { z } from \"@/lib/zod\" (it sets zod up for the browser's CSP)." }] }],
    },
  },
  globalIgnores([".next/**", "out/**", "node_modules/**", ".data/**", "coverage/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
