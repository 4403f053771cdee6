-- The CSV formula guard in one SQL function. A CSV field that starts with =, +, -, @, a tab or a
-- carriage return is read by Excel as a formula, even quoted: such a text gets a leading
-- apostrophe. private.csv_safe is that rule alone (no quoting). Two callers:
--   private.csv_text, the ledger's CSV lines written by public.ledger_export_text (PGlite and
--     Supabase), below;
--   the query of the ledger's CSV `COPY … TO STDOUT` on Postgres (lib/data/exports.ts
--     ledgerCopyQuery), run as the caller (authenticated).
-- The same rule in Node is csvSafeText (lib/export/values.ts); the contract tests run every
-- leading character through both (tests/contract/ledger-export.contract.ts).
--
-- Both are inlined by the planner, so no function is called per value: language sql, a single
-- select of one expression with no FROM, no SET clause (names schema-qualified instead), not
-- security definer, and not STRICT (a strict function is inlined only when its body is strict
-- too, and a CASE is not). csv_safe is IMMUTABLE: its body uses only immutable functions.
-- EXPLAIN (VERBOSE) of ledgerCopyQuery on Postgres 15 shows csv_safe's CASE expression in the
-- output list and no csv_safe call. csv_text as written by 20261210000200 (a subquery in FROM)
-- was not inlined: it was called once per value; it is again an expression here.

create or replace function private.csv_safe(p text)
returns text
language sql
immutable
parallel safe
as $$
  select case when pg_catalog.left(p, 1) in ('=', '+', '-', '@', pg_catalog.chr(9), pg_catalog.chr(13)) then '''' || p else p end
$$;

-- A pure text function, no table read: the same grants as private.csv_text, whose callers
-- (authenticated for COPY, ledger_export_text's owner) it serves.
revoke all on function private.csv_safe(text) from public;
grant execute on function private.csv_safe(text) to authenticated, service_role;

-- A CSV field as csv-stringify writes it, formula guard first: quoted (quotes doubled) only when
-- it holds a delimiter, a quote or a line break; null is empty. The apostrophe csv_safe may add
-- is none of those, so whether to quote is read from p itself.
create or replace function private.csv_text(p text)
returns text
language sql
stable
parallel safe
as $$
  select case when p is null then ''
    when p ~ '[",\r\n]' then '"' || pg_catalog.replace(private.csv_safe(p), '"', '""') || '"'
    else private.csv_safe(p) end
$$;
