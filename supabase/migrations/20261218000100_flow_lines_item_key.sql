-- One index of flow_lines where there were two: the rule that an item is on a flow once is kept
-- by a unique index that leads with the item, and that index also serves every lookup by item,
-- so the item's own index goes.
--
-- flow_lines had `unique (flow_id, item_id)` and an index on `(item_id)`. A unique rule holds
-- whichever order its columns are in. Led by the item, the same index answers what the
-- `(item_id)` index was for: the foreign key check when an item is deleted, the item's delete
-- refusal (item_delete), and the customers' policy on items ("the goods they were shipped":
-- the lines of an item, then their flows), which now reads the flow's id from the index itself
-- instead of from each line's row. The one lookup by both columns (flow_set_lines: is this item
-- already on the flow?) is an equality on both, which either order serves; the lines of a flow
-- are read by the primary key (flow_id, line_no).
--
-- Every line written no longer adds an entry to a third index. Measured on the 1M-row bench
-- database (docs/performance.md): the `(item_id)` index was 9.5 MB. The name of the rule stays,
-- so a duplicate item is refused with the same constraint as before.

alter table public.flow_lines drop constraint flow_lines_item_once;
alter table public.flow_lines add constraint flow_lines_item_once unique (item_id, flow_id);
drop index public.flow_lines_item_idx;
