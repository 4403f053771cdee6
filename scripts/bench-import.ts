// npm run bench:import — the import path at 10,000 item rows on an in-memory embedded database
// (migrated and seeded here), against the targets: parse and validate <= 10 s, apply
// <= 10 s. Prints rows/s for each phase and, as a baseline from the same run, the rows/s of one
// plain insert of the same rows as jsonb into a bare table (this machine's speed moves 2x between
// runs). Exits 0 unless it cannot run at all.

import ExcelJS from "exceljs";
import { setTransport } from "@/lib/db";
import { openPglite, pgliteExecutor, PgliteTransport, prepareDatabase } from "@/lib/db/pglite";
import { applyImport, recordImport, validateImport } from "@/lib/data/imports";
import { parseImportFile } from "@/lib/imports/parse";
import { signedIn, USERS } from "./bench/session";

const ROWS = 10_000;
const KOREAN = USERS.korean.id;

async function sheet(prefix: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Items");
  ws.addRow(["품번", "품명(한글)", "품명(중문)", "품명(영문)", "단위", "사업부문 코드", "재주문점", "단가(원)", "바코드", "고객사 코드", "사용"]);
  for (let i = 0; i < ROWS; i++) {
    ws.addRow([`${prefix}-${i}`, `벤치 품목 ${i}`, `测试物品 ${i}`, `Bench item ${i}`, i % 5 === 0 ? "KG" : "EA", i % 2 ? "LCD" : "KEYB", 5, 1200 + i, `${prefix}${100000 + i}`, null, "Y"]);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} rows/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const db = await openPglite();
  await prepareDatabase(pgliteExecutor(db), { seed: true });
  setTransport(new PgliteTransport(db));
  const caller = await signedIn((sql, params) => db.query(sql, params), USERS.korean);
  const bytes = await sheet("BENCH");

  let t = performance.now();
  const parsed = await parseImportFile({ bytes, fileName: "bench.xlsx", kind: "items" });
  const parseMs = performance.now() - t;

  t = performance.now();
  const recorded = await recordImport(KOREAN, "items", parsed, parsed.mapping, {});
  const recordMs = performance.now() - t;
  t = performance.now();
  const validated = await validateImport(caller, recorded.id);
  const validateMs = performance.now() - t;
  if (validated.status !== "ready") throw new Error(`the bench sheet did not validate: ${JSON.stringify(validated.rows)}`);

  t = performance.now();
  const applied = await applyImport(caller, recorded.id);
  const applyMs = performance.now() - t;

  // The same again, with a write between the preview and the apply: apply checks every row again.
  const second = await parseImportFile({ bytes: await sheet("BENCHB"), fileName: "bench-b.xlsx", kind: "items" });
  const secondId = (await recordImport(KOREAN, "items", second, second.mapping, {})).id;
  await validateImport(caller, secondId);
  await db.query("insert into public.audit_log (action, table_name) values ('bench', 'bench')");
  t = performance.now();
  await applyImport(caller, secondId);
  const recheckMs = performance.now() - t;

  // Baseline: the same rows' cells inserted as jsonb in one statement into a bare table.
  await db.exec("create table bench_baseline (row_no int, cells jsonb)");
  t = performance.now();
  await db.query("insert into bench_baseline select (x->>'row_no')::int, x->'cells' from jsonb_array_elements($1::jsonb) x", [JSON.stringify(parsed.rows)]);
  const baselineMs = performance.now() - t;

  const readMs = parseMs + recordMs + validateMs;
  console.log(`import of ${ROWS.toLocaleString("en-US")} item rows (embedded PGlite, in memory), ${applied.created} created`);
  console.log(`  parse (Node, XLSX stream)   ${secs(parseMs).padStart(8)}  ${rate(ROWS, parseMs)}`);
  console.log(`  record rows (service role)  ${secs(recordMs).padStart(8)}  ${rate(ROWS, recordMs)}`);
  console.log(`  validate (SQL as the user)  ${secs(validateMs).padStart(8)}  ${rate(ROWS, validateMs)}`);
  console.log(`  parse + validate            ${secs(readMs).padStart(8)}  ${rate(ROWS, readMs)}   target <= 10 s: ${readMs <= 10_000 ? "met" : "NOT met"}`);
  console.log(`  apply (one transaction)     ${secs(applyMs).padStart(8)}  ${rate(ROWS, applyMs)}   target <= 10 s: ${applyMs <= 10_000 ? "met" : "NOT met"}`);
  console.log(`  apply, every row re-checked ${secs(recheckMs).padStart(8)}  ${rate(ROWS, recheckMs)}   target <= 10 s: ${recheckMs <= 10_000 ? "met" : "NOT met"}`);
  console.log(`  baseline: bare jsonb insert ${secs(baselineMs).padStart(8)}  ${rate(ROWS, baselineMs)}`);
  console.log(`  ratios to the baseline: validate ${(validateMs / baselineMs).toFixed(1)}x, apply ${(applyMs / baselineMs).toFixed(1)}x`);
  await db.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
