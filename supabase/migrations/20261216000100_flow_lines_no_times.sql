-- A flow line keeps no times of its own: created_at and updated_at go from flow_lines, with the
-- trigger that kept updated_at (issue 17: 16 bytes a line, about 14 MB at a million lines).
--
-- No function, page, API answer or export reads them: a line is shown and exported with its
-- flow, whose own times (created, submitted, approved, committed, cancelled, updated) say when
-- anything happened to it, and every change to a line is in the audit log with its time. The
-- audit's before/after of a line no longer lists the two fields (the audit page never showed
-- them).
--
-- Dropping a column does not rewrite the table: the space of existing lines comes back as they
-- are rewritten (VACUUM FULL or pg_repack for all at once); new lines are 16 bytes smaller now.

drop trigger flow_lines_touch on public.flow_lines;
alter table public.flow_lines drop column created_at, drop column updated_at;
