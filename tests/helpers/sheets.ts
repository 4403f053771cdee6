import ExcelJS from "exceljs";

// Real spreadsheet files made in the tests (exceljs writes them as Excel would).

export async function xlsxOf(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** One sheet of these rows (the first is the header). */
export function sheetOf(rows: unknown[][], name = "Sheet1"): Promise<Uint8Array> {
  return xlsxOf((wb) => wb.addWorksheet(name).addRows(rows));
}

/** Every sheet's rows as text values (for reading what the app wrote). */
export async function readXlsx(bytes: Uint8Array): Promise<{ name: string; rows: unknown[][]; fills: Record<string, string | undefined> }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    const fills: Record<string, string | undefined> = {};
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = (row.values as unknown[]).slice(1);
      row.eachCell((cell) => {
        const fill = cell.fill as { fgColor?: { argb?: string } } | undefined;
        if (fill?.fgColor?.argb) fills[cell.address] = fill.fgColor.argb;
      });
    });
    return { name: ws.name, rows, fills };
  });
}
