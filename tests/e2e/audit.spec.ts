import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { demoUser, signInViaApi } from "./demo-users";

// The audit log as an administrator reads it in Korean: who, what in words, which record with a
// link, Seoul time, and the changed fields under their names; no table names, UUIDs or ISO times.

const ko = (ns: string) => JSON.parse(readFileSync(path.join(__dirname, "../../messages/ko", `${ns}.json`), "utf8"));
const audit = ko("audit");
const admin = ko("admin");
const flows = ko("flows");

test("the audit log reads as Korean sentences about records, with links", async ({ page }) => {
  // A full page of rows with their details and a flow page: more than the default budget on a busy machine.
  test.slow();
  await signInViaApi(page, demoUser("admin"));
  await page.goto("/admin/audit?action=committed");
  await expect(page.getByRole("heading", { level: 1, name: admin.audit.title })).toBeVisible();
  const table = page.getByRole("table", { name: admin.audit.caption });
  for (const column of Object.values(audit.columns) as string[]) await expect(table.getByRole("columnheader", { name: column, exact: true })).toBeVisible();

  const rows = table.locator("tbody > tr[data-testid^=audit-row-]");
  await expect(rows).toHaveCount(20);
  const first = rows.first();
  await expect(first).toHaveAttribute("data-event", "committed");
  await expect(first).toContainText(audit.events.committed);
  await expect(first.locator("time")).toHaveText(/^\d{4}\. \d{2}\. \d{2}\. \d{2}:\d{2} KST$/);
  const link = first.getByRole("link");
  await expect(link).toHaveText(/^(IN|OUT|TRF|ADJ)-\d{4}-\d{6}$/);

  // The field-level difference: status in words.
  await first.getByText(/개 항목$/).click();
  const status = first.locator("tr[data-field=status]");
  await expect(status.getByRole("rowheader")).toHaveText(audit.fields.status);
  await expect(status).toContainText(flows.statuses.approved);
  await expect(status).toContainText(flows.statuses.committed);

  const text = (await table.innerText()).replace(/\s+/g, " ");
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  expect(text).not.toMatch(/\b(flows|flow_lines|committed_at|status|insert|update)\b/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);

  // The link opens the flow.
  const number = (await link.textContent())!;
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(number);

  // The action filter offers the events in words; reading a message is not one of them.
  await page.goto("/admin/audit");
  const options = await page.getByLabel(admin.audit.filters.action).locator("option").allTextContents();
  expect(options).toContain(audit.events.role_changed);
  expect(options).toContain(audit.events.file_uploaded);
  expect(options.join(" ")).not.toMatch(/read|읽음/);
});
