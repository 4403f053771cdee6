import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test, type Page, type Request } from "@playwright/test";
import { pdfOfSize, samples } from "../helpers/files";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";

// The upload form sends files straight to storage (begin, PUT the bytes, complete), never as one
// multipart body through the app — the path that lets files over Vercel's 4.5 MB request cap
// through. ACME uploads a 6 MB PDF from /portal/documents and downloads it back byte for byte; a
// disguised executable and a 21 MB file are refused with a message that says why, and nothing
// appears in the list.

const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function acmeDocuments(page: Page): Promise<string[]> {
  await signInViaApi(page, demoUser("acme"));
  const seen: string[] = [];
  page.on("request", (r: Request) => {
    if (r.url().includes("/api/v1/attachments")) seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await page.goto("/portal/documents");
  await hydrated(page.getByTestId("upload-file"));
  return seen;
}

test("ACME uploads a 6 MB PDF through the form by the direct path and downloads the same bytes", async ({ page }) => {
  test.setTimeout(90_000);
  const seen = await acmeDocuments(page);
  const name = `direct-${tag()}.pdf`;
  const bytes = pdfOfSize(6 * 1024 * 1024);
  bytes.set(new TextEncoder().encode(name), 4096);

  await page.getByTestId("upload-file").setInputFiles({ name, mimeType: "application/pdf", buffer: Buffer.from(bytes) });
  await page.getByTestId("upload-submit").click();
  const link = page.getByTestId("attachment-download").filter({ hasText: name });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("upload-error")).toHaveCount(0);

  // Begin, the bytes to the upload URL, complete; never the multipart endpoint.
  expect(seen).toContain("POST /api/v1/attachments/uploads");
  expect(seen.some((s) => /^PUT \/api\/v1\/attachments\/uploads\/[^/]+$/.test(s))).toBe(true);
  expect(seen.some((s) => /^POST \/api\/v1\/attachments\/uploads\/[^/]+\/complete$/.test(s))).toBe(true);
  expect(seen).not.toContain("POST /api/v1/attachments");

  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(name);
  const got = await readFile((await download.path())!);
  expect(got.length).toBe(bytes.length);
  expect(sha(got)).toBe(sha(bytes));
});

test("a disguised executable and a 21 MB file are refused with a clear message, and nothing is listed", async ({ page }) => {
  test.setTimeout(90_000);
  await acmeDocuments(page);
  const alert = page.getByTestId("upload-error");

  const fake = `invoice-${tag()}.pdf`;
  await page.getByTestId("upload-file").setInputFiles({ name: fake, mimeType: "application/pdf", buffer: Buffer.from(samples.exe()) });
  await page.getByTestId("upload-submit").click();
  // ACME reads Korean: the reason the server gives, in the catalogue's words.
  await expect(alert).toContainText("PDF, JPEG, PNG, WebP 또는 XLSX 파일만 올릴 수 있습니다.");
  await expect(alert).toHaveAttribute("role", "alert");

  const big = `big-${tag()}.pdf`;
  await page.getByTestId("upload-file").setInputFiles({ name: big, mimeType: "application/pdf", buffer: Buffer.from(pdfOfSize(21 * 1024 * 1024)) });
  await page.getByTestId("upload-submit").click();
  await expect(alert).toHaveText("파일은 최대 20MB까지 올릴 수 있습니다.");

  await page.reload();
  await expect(page.getByTestId("upload-file")).toBeVisible();
  await expect(page.getByTestId("attachment-download").filter({ hasText: fake })).toHaveCount(0);
  await expect(page.getByTestId("attachment-download").filter({ hasText: big })).toHaveCount(0);
});
