import type { ImportKind } from "@/lib/data/imports";
import { IMPORT_WORDS } from "./words";

// The fields each import kind maps columns to, and the header names (Korean, Chinese, English
// and the synonyms people type) that name them. The SQL (private.import_fields) holds the same
// field lists; the templates write the first Korean/Chinese/English name of each.

export const ITEM_FIELDS = ["sku", "name_ko", "name_zh", "name_en", "unit", "engine_code", "reorder_point", "unit_cost", "barcode", "customer_code", "active"] as const;
export const LINE_FIELDS = ["sku", "barcode", "name", "qty"] as const;
export type ImportField = (typeof ITEM_FIELDS)[number] | (typeof LINE_FIELDS)[number];

export function fieldsOf(kind: ImportKind): readonly ImportField[] {
  return kind === "items" ? ITEM_FIELDS : LINE_FIELDS;
}

/** Fields without which no row can be valid (at least one of each group). */
export function requiredGroups(kind: ImportKind): ImportField[][] {
  return kind === "items" ? [["sku"]] : [["sku", "barcode", "name"], ["qty"]];
}

const SKU = ["sku", "품번", "품목코드", "상품코드", "품목번호", "货号", "商品编码", "物品编码", "编码", "itemcode", "item code", "code", "코드", "partno", "part no", "part number"];
const BARCODE = ["barcode", "바코드", "条码", "条形码", "ean", "upc", "jan"];

const SYNONYMS: Record<string, string[]> = {
  sku: SKU,
  barcode: BARCODE,
  name_ko: ["name_ko", "한글명", "품명(한글)", "한글품명", "상품명(한글)", "品名(韩文)", "품명", "품목명", "상품명", "한국어명", "韩文名", "韩文名称", "korean name", "name (ko)", "name ko"],
  name_zh: ["name_zh", "중문명", "품명(중문)", "중문품명", "品名(中文)", "중국어명", "中文名", "中文名称", "品名", "商品名称", "chinese name", "name (zh)", "name zh"],
  name_en: ["name_en", "영문명", "품명(영문)", "영문품명", "品名(英文)", "영어명", "英文名", "英文名称", "english name", "name (en)", "name en", "name", "description"],
  unit: ["unit", "단위", "单位", "uom"],
  engine_code: ["engine_code", "engine", "사업부문", "사업부문코드", "사업부", "业务线", "业务线代码", "事业部", "business line", "business line code"],
  reorder_point: ["reorder_point", "재주문점", "안전재고", "최소재고", "再订货点", "安全库存", "最低库存", "reorder point", "min stock", "minimum stock"],
  unit_cost: ["unit_cost", "단가", "원가", "매입단가", "单价", "成本", "进价", "unit cost", "cost", "price", "unit price"],
  customer_code: ["customer_code", "고객사", "고객", "고객코드", "고객사코드", "客户", "客户代码", "客户编码", "customer", "customer code", "owner"],
  active: ["active", "사용", "사용여부", "활성", "启用", "是否启用", "在用", "enabled"],
  name: ["name", "품명", "품목명", "상품명", "한글명", "중문명", "영문명", "品名", "名称", "商品名称", "物品名称", "中文名", "韩文名", "英文名", "item name", "product", "product name", "description", "item"],
  qty: ["qty", "quantity", "수량", "입고수량", "출고수량", "실사수량", "수량(ea)", "数量", "入库数量", "出库数量", "实盘数量", "盘点数量", "counted", "counted qty", "count", "pcs", "q'ty"],
};

/** A header as compared: width-folded, lower case, without spaces and punctuation. */
export function headerKey(text: string | null | undefined): string {
  return (text ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-./:()[\]（）【】*#'"]+/g, "");
}

/** The column labels the templates write, in every language (after the synonyms: rank 100 on). */
function labels(field: string): string[] {
  const keys = field === "qty" ? ["qty", "counted"] : [field];
  return Object.values(IMPORT_WORDS).flatMap((w) => keys.map((k) => (w.fields as Record<string, string>)[k]));
}

const KEYED: Record<string, Map<string, number>> = Object.fromEntries(
  Object.entries(SYNONYMS).map(([field, names]) => {
    const keyed = new Map(names.map((n, i) => [headerKey(n), i]));
    labels(field).forEach((l, i) => {
      if (!keyed.has(headerKey(l))) keyed.set(headerKey(l), 100 + i);
    });
    return [field, keyed];
  }),
);

/** How well a header names a field: 0 is the best (its first synonym), null: not at all. */
export function headerRank(field: ImportField, header: string | null): number | null {
  const rank = KEYED[field]?.get(headerKey(header));
  return rank === undefined ? null : rank;
}

export const UNITS = ["EA", "BOX", "SET", "KG", "M"] as const;
