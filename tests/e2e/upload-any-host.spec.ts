import { expect, test, type Request } from "@playwright/test";
import { samples } from "../helpers/files";
import { demoUser, signInViaApi } from "./demo-users";
import { hydrated } from "./hydration";
import { e2ePort } from "./server-slot";

// Uploads work on whatever host the app is opened as, not only `localhost`: the direct-upload
// URL is a same-origin path, so the browser's PUT goes to the page's own origin and the page's
// CSP (connect-src 'self') lets it through. Opened here as 127.0.0.1, as from a LAN address.

const port = e2ePort();
test.use({ baseURL: `http://127.0.0.1:${port}` });

test("opened as 127.0.0.1, ACME uploads a PDF from the documents page and sees it listed", async ({ page }) => {
  const puts: string[] = [];
  const blocked: string[] = [];
  page.on("request", (r: Request) => {
    if (r.method() === "PUT") puts.push(r.url());
  });
  page.on("console", (m) => {
    if (/Content Security Policy|connect-src/i.test(m.text())) blocked.push(m.text());
  });
  await signInViaApi(page, demoUser("acme"));
  await page.goto("/portal/documents");
  await hydrated(page.getByTestId("upload-file"));

  const name = `host-${Date.now().toString(36)}.pdf`;
  await page.getByTestId("upload-file").setInputFiles({ name, mimeType: "application/pdf", buffer: Buffer.from(samples.pdf()) });
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("attachment-download").filter({ hasText: name })).toBeVisible();
  await expect(page.getByTestId("upload-error")).toHaveCount(0);

  expect(puts).toHaveLength(1);
  expect(new URL(puts[0]).host).toBe(`127.0.0.1:${port}`);
  expect(blocked).toEqual([]);
});
