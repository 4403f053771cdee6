-- Searches of the item catalogue and the flow list through trigram indexes instead of reading
-- every row.
--
-- A search ("q") is `ilike '%text%'` on several columns. No b-tree serves a pattern with a
-- leading wildcard, so each search read every item or every flow and ran ILIKE on each column of
-- each row (about 1.3 µs each in UTF-8: ILIKE folds the case of both sides). On the bench
-- database a flow search by number read all 303,390 flows twice (the page, then the count) and
-- took 1.06 s; an item search that matched nothing read all 10,000 items (docs/performance.md).
--
-- pg_trgm's GIN operator class answers LIKE and ILIKE with any wildcards from the trigrams of
-- the pattern (a pattern shorter than three characters still works; the index is then no help
-- and the planner reads the table). The lists that search build their statement with only the
-- filters given, so each search is planned for its own pattern: a selective one through the
-- index (a BitmapOr over the columns), a common one by walking the list's order. The index is
-- lossy and every row it proposes is checked again, so what a search finds is unchanged.
--
-- One multicolumn index per table: a GIN index serves a condition on any of its columns, so
-- inserts and non-HOT updates maintain one index, not one per column.
-- Supabase keeps extensions in the `extensions` schema; supabase/shim.sql makes that schema
-- elsewhere, and the embedded database loads pg_trgm with pgcrypto (lib/db/pglite.ts).

create extension if not exists pg_trgm with schema extensions;

create index if not exists items_search_trgm_idx on public.items
  using gin (sku extensions.gin_trgm_ops, name_ko extensions.gin_trgm_ops, name_zh extensions.gin_trgm_ops,
             name_en extensions.gin_trgm_ops);

create index if not exists flows_search_trgm_idx on public.flows
  using gin (number extensions.gin_trgm_ops, partner extensions.gin_trgm_ops, reference extensions.gin_trgm_ops);
