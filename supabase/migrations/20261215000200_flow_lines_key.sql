-- A flow line is known by its flow and line number: (flow_id, line_no) becomes flow_lines'
-- primary key, and the index on the line's id goes (issue 17: 36 MB at a million lines, 6 % of
-- the bench database, and one index entry less for every line written).
--
-- Nothing looks a line up by its id: lines are read, replaced and reversed by their flow, the
-- ledger names its line by (flow_id, line_no), and the API shows the id only as a row key. The id
-- column stays, with its time-ordered default, so the API's answers do not change. (flow_id,
-- line_no) was already unique; (flow_id, item_id) stays unique (one line per item a flow).
--
-- The ledger's foreign key to its line is dropped and added again: it depends on the unique
-- index that the primary key replaces. Adding it checks every ledger row again, once.

alter table public.stock_movements drop constraint stock_movements_flow_line_fkey;
alter table public.flow_lines drop constraint flow_lines_line_no_unique;
alter table public.flow_lines drop constraint flow_lines_pkey;
alter table public.flow_lines add constraint flow_lines_pkey primary key (flow_id, line_no);
alter table public.stock_movements add constraint stock_movements_flow_line_fkey
  foreign key (flow_id, line_no) references public.flow_lines (flow_id, line_no) on delete restrict;
