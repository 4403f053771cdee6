import type { Query } from "./test-db";

/**
 * The item list's sku marks as stored (public.item_sku_marks) and as the items say they should be
 * (the sku at every 100th place of the sku order), each as [[place, sku], ...]. Equal when the
 * marks' triggers did their work.
 */
export async function itemMarksAndPlaces(query: Query): Promise<{ marks: unknown; places: unknown }> {
  const [row] = await query<{ marks: unknown; places: unknown }>(
    `select (select coalesce(json_agg(json_build_array(m.pos, m.sku) order by m.pos), '[]') from public.item_sku_marks m) as marks,
            (select coalesce(json_agg(json_build_array(x.pos, x.sku) order by x.pos), '[]')
             from (select i.sku, (row_number() over (order by i.sku) - 1)::int as pos from public.items i) x
             where x.pos % 100 = 0) as places`,
  );
  return row;
}
