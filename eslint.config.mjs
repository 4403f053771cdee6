import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Toasts load their library on first use (components/ui/toast.tsx); a direct import of
    // sonner would put it back into every page's first-visit JavaScript.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["components/ui/toast.tsx"],
    rules: { "no-restricted-imports": ["error", { paths: [{ name: "sonner", message: "Use toast from @/components/ui/toast.", allowTypeImports: true }] }] },
  },
  globalIgnores([".next/**", "out/**", "node_modules/**", ".data/**", "coverage/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
