-- Searches of the item catalogue, the flow list and the inspection list through trigram indexes
-- instead of reading every row, where the database has pg_trgm.
--
-- A search ("q") is `ilike '%text%'` on several columns. No b-tree serves a pattern with a
-- leading wildcard, so each search read every item, flow or inspection and ran ILIKE on each
-- column of each row (about 1.3 µs each in UTF-8: ILIKE folds the case of both sides). On the
-- bench database a flow search by number read all 303,390 flows twice (the page, then the count)
-- and took 1.06 s; an item search that matched nothing read all 10,000 items (docs/performance.md).
--
-- pg_trgm's GIN operator class answers LIKE and ILIKE with any wildcards from the trigrams of
-- the pattern (a pattern shorter than three characters still works; the index is then no help
-- and the planner reads the table). The lists that search build their statement with only the
-- filters given, so each search is planned for its own pattern: a selective one through the
-- index (a BitmapOr over the columns), a common one by walking the list's order. The index is
-- lossy and every row it proposes is checked again, so what a search finds is the same with or
-- without it.
--
-- One multicolumn index per table: a GIN index serves a condition on any of its columns, so
-- inserts and non-HOT updates maintain one index, not one per column.
--
-- Only where pg_trgm is available: Supabase and Postgres (Supabase keeps extensions in the
-- `extensions` schema; supabase/shim.sql makes that schema elsewhere). Not on the embedded
-- database: with PGlite's pg_trgm bundle loaded next to pgcrypto, pgcrypto's digest() failed
-- now and then for a whole database ("Cannot use "sha256": Cipher cannot be initialized", in
-- 3 of 8 runs of the token tests, 0 of 16 without it), so PGlite does not load it
-- (lib/db/pglite.ts) and its searches read the rows, as before. The embedded database holds a
-- demo's or a small team's data; the searches' answers are the same either way.

do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_trgm') then
    create extension if not exists pg_trgm with schema extensions;
    create index if not exists items_search_trgm_idx on public.items
      using gin (sku extensions.gin_trgm_ops, name_ko extensions.gin_trgm_ops, name_zh extensions.gin_trgm_ops,
                 name_en extensions.gin_trgm_ops);
    create index if not exists flows_search_trgm_idx on public.flows
      using gin (number extensions.gin_trgm_ops, partner extensions.gin_trgm_ops, reference extensions.gin_trgm_ops);
    create index if not exists inspections_search_trgm_idx on public.inspection_applications
      using gin (number extensions.gin_trgm_ops, product extensions.gin_trgm_ops, factory_name extensions.gin_trgm_ops);
  end if;
end
$$;
