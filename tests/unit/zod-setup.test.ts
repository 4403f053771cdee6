import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ROOT, sourceFiles } from "../helpers/source-graph";

// Code that may run in the browser and builds zod schemas imports lib/zod-setup.ts first, so that
// zod is set to jitless before its first object schema probes for eval (refused by our CSP and
// reported as a violation). Imports run in order: "first" is what makes the setting come first.

const browserCode = [
  ...sourceFiles(path.join(ROOT, "lib/schemas")),
  ...sourceFiles(path.join(ROOT, "components")),
  ...sourceFiles(path.join(ROOT, "lib/i18n")),
  path.join(ROOT, "lib/public-env.ts"),
];

/** Files with a value (not type-only) import from "zod". */
function zodUsers(): string[] {
  return browserCode.filter((file) => /^import (?!type )[^;]*from "zod";$/m.test(readFileSync(file, "utf8")));
}

describe("zod in browser code", () => {
  it("finds the schema modules and components that build schemas", () => {
    const users = zodUsers().map((f) => path.relative(ROOT, f));
    expect(users).toContain("lib/schemas/common.ts");
    expect(users).toContain("lib/public-env.ts");
  });

  it("each imports lib/zod-setup before anything else", () => {
    const wrong = zodUsers().filter((file) => {
      const firstImport = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith("import "));
      return firstImport !== 'import "@/lib/zod-setup";';
    });
    expect(wrong.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("the setup module leaves the server's zod compiling parsers", async () => {
    vi.resetModules();
    const core = await import("zod/v4/core");
    await import("@/lib/zod-setup");
    expect(core.globalConfig.jitless).toBeFalsy();
  });

  it("the setup module makes the browser's zod jitless", async () => {
    vi.resetModules();
    vi.stubGlobal("window", {});
    const core = await import("zod/v4/core");
    await import("@/lib/zod-setup");
    expect(core.globalConfig.jitless).toBe(true);
  });
});
