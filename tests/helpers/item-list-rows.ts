import type { Query } from "./test-db";

/**
 * Each item's row as the item list keeps it (item_stock_totals.list_row, null without a totals
 * row) and as built from the tables now, the way items_list built it before it kept them
 * (20261226000100), both as JSON text, in sku order. Equal when the triggers did their work.
 */
export async function itemListRows(query: Query): Promise<{ sku: string; kept: string | null; live: string }[]> {
  return query<{ sku: string; kept: string | null; live: string }>(
    `select i.sku, t.list_row::text as kept, row_to_json(r)::text as live
     from public.items i
     left join public.item_stock_totals t on t.item_id = i.id
     left join public.engines e on e.id = i.engine_id
     cross join lateral (
       select i.id, i.sku, i.name_ko, i.name_zh, i.name_en, i.unit, i.engine_id, i.reorder_point, i.unit_cost,
              i.customer_id, i.barcode, i.active, i.created_at, i.updated_at,
              coalesce(t.on_hand, 0) as on_hand, e.code as engine_code) r
     order by i.sku`,
  );
}

/** The skus whose kept row is missing or differs from the row built from the tables. */
export async function staleItemListRows(query: Query): Promise<string[]> {
  return (await itemListRows(query)).filter((r) => r.kept !== r.live).map((r) => r.sku);
}
