import { createHash } from "node:crypto";
import { hasObject, type StoragePort } from "@/lib/storage/types";
import { onePagePdf, photoPng } from "./demo-files";
import type { SqlExecutor } from "@/lib/db/sql-executor";

// The demo data's attachments: inspection reports, photos and a customer's document for both
// demo companies. seed.sql cannot write files, so this runs after it, with the storage port the
// app uses: it records the metadata rows (fixed ids, once) and writes each row's file when the
// store does not have it (a first start, or a data folder whose files were lost).
//
// Idempotent: the rows have fixed ids (insert ... on conflict do nothing) and are inserted only
// until the marker in supabase_migrations.seed_files says they were (or when forced, as
// `npm run db:seed` does), so a row an administrator deleted is not brought back by a restart.
// The bytes are generated deterministically, so a rewritten file matches its row's size and hash.

const ACME = "c0000000-0000-4000-8000-000000000001";
const BLUESKY = "c0000000-0000-4000-8000-000000000002";
const CHINESE_STAFF = "a0000000-0000-4000-8000-000000000004";
const BLUESKY_BUYER = "a0000000-0000-4000-8000-000000000006";
const MARKER = "demo:attachments";

type DemoFile = {
  id: string;
  customerId: string;
  /** The seed's application this belongs to, found by company and product (seed.sql has no fixed ids for them). */
  product: string;
  kind: "report" | "photo" | "document";
  fileName: string;
  contentType: "application/pdf" | "image/png";
  internal: boolean;
  uploadedBy: string;
  bytes: () => Uint8Array;
};

export const DEMO_ATTACHMENTS: readonly DemoFile[] = [
  {
    id: "f0000000-0000-4000-8000-000000000001",
    customerId: ACME,
    product: 'ACME private-label 27" monitor',
    kind: "report",
    fileName: "Inspection report - ACME 27in monitor.pdf",
    contentType: "application/pdf",
    internal: false,
    uploadedBy: CHINESE_STAFF,
    bytes: () =>
      onePagePdf("Pre-shipment inspection report", [
        "Customer: ACME Trading",
        "Product: ACME private-label 27in monitor, 1,200 units",
        "Factory: Shenzhen Bright Display Co., Bao'an District, Shenzhen",
        "Sample: 125 units (AQL 2.5 / 4.0, general level II)",
        "Dead pixels: 0 critical, 1 minor (within limits)",
        "Packaging and carton markings: conform",
        "Result: PASS",
        "Inspector: Wang Chinese Staff, Duly Trading",
      ]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000002",
    customerId: ACME,
    product: 'ACME private-label 27" monitor',
    kind: "photo",
    fileName: "Carton stack - ACME 27in monitor.png",
    contentType: "image/png",
    internal: false,
    uploadedBy: CHINESE_STAFF,
    bytes: () => photoPng(160, 120, [196, 170, 128], [120, 96, 64]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000003",
    customerId: ACME,
    product: "ACME Korean-layout keyboard",
    kind: "report",
    fileName: "Inspection report - ACME keyboard.pdf",
    contentType: "application/pdf",
    internal: false,
    uploadedBy: CHINESE_STAFF,
    bytes: () =>
      onePagePdf("During-production inspection report", [
        "Customer: ACME Trading",
        "Product: ACME Korean-layout keyboard, 3,000 units",
        "Factory: Dongguan KeyTech Ltd., Chang'an Town, Dongguan",
        "Finding: keycap legends misaligned on batch 3 (7 of 80 samples)",
        "Result: FAIL - re-inspection recommended after rework",
      ]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000004",
    customerId: ACME,
    product: "ACME Korean-layout keyboard",
    kind: "photo",
    fileName: "Keycap misalignment - internal.png",
    contentType: "image/png",
    internal: true,
    uploadedBy: CHINESE_STAFF,
    bytes: () => photoPng(160, 120, [230, 230, 235], [150, 150, 160]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000005",
    customerId: BLUESKY,
    product: 'Blue Sky 24" monitor',
    kind: "report",
    fileName: "Inspection report - Blue Sky 24in monitor.pdf",
    contentType: "application/pdf",
    internal: false,
    uploadedBy: CHINESE_STAFF,
    bytes: () =>
      onePagePdf("Pre-shipment inspection report", [
        "Customer: Blue Sky Co",
        "Product: Blue Sky 24in monitor, 900 units",
        "Factory: Guangzhou Vision Panel Ltd., Huangpu District, Guangzhou",
        "Finding: backlight bleeding on 6% of sampled units (limit 2.5%)",
        "Result: FAIL",
      ]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000006",
    customerId: BLUESKY,
    product: 'Blue Sky 24" monitor',
    kind: "photo",
    fileName: "Backlight bleeding - Blue Sky 24in.png",
    contentType: "image/png",
    internal: false,
    uploadedBy: CHINESE_STAFF,
    bytes: () => photoPng(160, 120, [40, 60, 110], [10, 14, 30]),
  },
  {
    id: "f0000000-0000-4000-8000-000000000007",
    customerId: BLUESKY,
    product: "Blue Sky wireless keyboard",
    kind: "document",
    fileName: "Packing specification - wireless keyboard.pdf",
    contentType: "application/pdf",
    internal: false,
    uploadedBy: BLUESKY_BUYER,
    bytes: () =>
      onePagePdf("Packing specification", [
        "Buyer: Blue Sky Co",
        "Product: Blue Sky wireless keyboard, 2,000 units",
        "Inner box: 1 unit, outer carton: 10 units, max 12 kg",
        "Carton marks: BLUE SKY / PO number / carton no. of total",
      ]),
  },
];

const storagePath = (f: Pick<DemoFile, "customerId" | "id">) => `${f.customerId}/${f.id}`;

export type SeedAttachmentsResult = { inserted: number; written: number };

/**
 * Records the demo attachments (unless already recorded, or `force`) and writes every recorded
 * one's file that the store lacks. Rows whose application is not in the database (the demo
 * applications were never seeded, or were removed) are skipped.
 */
export async function seedDemoAttachments(db: SqlExecutor, storage: StoragePort, opts: { force?: boolean } = {}): Promise<SeedAttachmentsResult> {
  let inserted = 0;
  const done = await db.query("select 1 from supabase_migrations.seed_files where path = $1", [MARKER]);
  if (done.length === 0 || opts.force) {
    // The files are generated only here and for a missing file below: a warm start that finds
    // everything in place makes none of them (it runs on every embedded start: npm run bench:boot).
    const files = DEMO_ATTACHMENTS.map((f) => {
      const bytes = f.bytes();
      return { ...f, bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
    });
    const hash = createHash("sha256").update(files.map((f) => `${f.id}:${f.sha256}`).join("\n")).digest("hex");
    await db.exec("begin");
    try {
      for (const f of files) {
        const rows = await db.query(
          `insert into public.attachments (id, customer_id, inspection_id, kind, file_name, content_type, size_bytes,
             storage_path, sha256, internal, uploaded_by, created_at)
           select $1, i.customer_id, i.id, $4, $5, $6, $7, $8, $9, $10, $11, coalesce(i.report_ready_at, i.started_at, i.created_at)
           from public.inspection_applications i
           where i.customer_id = $2 and i.product = $3
           order by i.created_at
           limit 1
           on conflict do nothing
           returning id`,
          [f.id, f.customerId, f.product, f.kind, f.fileName, f.contentType, f.bytes.length, storagePath(f), f.sha256, f.internal, f.uploadedBy],
        );
        inserted += rows.length;
      }
      await db.query(
        "insert into supabase_migrations.seed_files (path, hash) values ($1, $2) on conflict (path) do update set hash = excluded.hash",
        [MARKER, hash],
      );
      await db.exec("commit");
    } catch (error) {
      await db.exec("rollback");
      throw new Error(`Seeding the demo attachments failed: ${(error as Error).message}`, { cause: error });
    }
  }

  // Every recorded demo row gets its file, whether it was inserted just now or long ago.
  const recorded = await db.query<{ id: string; storage_path: string }>(
    "select id::text as id, storage_path from public.attachments where id = any($1::uuid[])",
    [DEMO_ATTACHMENTS.map((f) => f.id)],
  );
  let written = 0;
  for (const row of recorded) {
    const f = DEMO_ATTACHMENTS.find((x) => x.id === row.id);
    if (!f || row.storage_path !== storagePath(f)) continue;
    if (await hasObject(storage, row.storage_path)) continue;
    try {
      await storage.put(row.storage_path, f.bytes(), f.contentType);
      written++;
    } catch (error) {
      // Another process starting on the same folder wrote it first: that is the same file.
      if ((await storage.getBytes(row.storage_path)) === null) throw error;
    }
  }
  return { inserted, written };
}
