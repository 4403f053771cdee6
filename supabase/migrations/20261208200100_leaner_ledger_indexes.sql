-- A smaller ledger (issue 17, the size target; docs/performance.md "Size"). Same rows, same rules,
-- same readers; two of its indexes were far larger than what they serve.
--
-- 1. (location_id, id desc) was the ledger's largest index (70 MB at 1M rows, half-empty pages:
--    every new row goes to the front of its location's range, so each split leaves a half page
--    behind for good). With a handful of locations the newest rows of one location are found by
--    walking the primary key backwards (one row in five matches); the index is only needed for
--    the foreign key (a location delete) and for a location with few rows, and a plain
--    (location_id) index does both: its equal keys are stored once with a list of rows
--    (deduplication), 7 MB at 1M rows.
-- 2. created_at only filters (ledger_list, the exports: from/to), never orders, and rows are
--    appended in time order: a BRIN index (block ranges) finds a period's blocks at a few pages
--    instead of a 15 MB B-tree.

create index if not exists stock_movements_location_key_idx on public.stock_movements (location_id);
drop index if exists public.stock_movements_location_idx;

create index if not exists stock_movements_created_brin on public.stock_movements using brin (created_at);
drop index if exists public.stock_movements_created_idx;
