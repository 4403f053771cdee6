-- The ledger as ready file text (issue 13: a million-row export within 2 x COPY for CSV, 6 x for
-- XLSX). The ledger is the one list that reaches millions of rows. Turning its rows into json,
-- then JavaScript objects, then CSV fields or exceljs cells cost 15-45 microseconds a row in
-- Node; Postgres writes the same text in about one. So public.ledger_export_text returns each
-- batch already written: CSV lines, or the worksheet's <row> elements for XLSX. Node only adds
-- the header and the file's frame, and streams the text on.
--
-- Same caller, rights, filters, order and keyset as public.ledger_export (20261205000600): one
-- short call a batch, through every transport, with no transaction held while the client reads.

-- Inlinable helpers: language sql, immutable, no SET clause and no security definer, so the
-- planner pastes them into the calling query instead of calling a function per value (a SET
-- Inlinable helpers: language sql, stable (not immutable: text concatenation with numbers is
-- stable, and an immutable function whose body is not is never inlined), no SET clause and no
-- security definer, so the planner pastes them into the calling query instead of calling a
-- function per value (a SET search_path would stop that; every name in them is schema-qualified
-- instead). Callers pass plain columns: an argument used twice in a body is inlined only when
-- it is cheap to evaluate twice.

-- A CSV field as csv-stringify writes it: quoted (quotes doubled) only when it holds a
-- delimiter, a quote or a line break; null is empty.
create or replace function private.csv_text(p text)
returns text
language sql
stable
parallel safe
as $$
  select case when p is null then '' when p ~ '[",\r\n]' then '"' || pg_catalog.replace(p, '"', '""') || '"' else p end
$$;

-- Worksheet cells (lib/export/xlsx.ts writes the same, and its styles.xml defines the styles:
-- 2 whole numbers #,##0, 3 decimals #,##0.###, 7 date-time). A null is no cell at all (an empty
-- cell). Attributes in single quotes: the text travels inside a json string, where every double
-- quote would be escaped on the way out and read back on the way in.

-- Text as an inline string: the three markup characters escaped, the control characters XML 1.0
-- cannot hold dropped.
create or replace function private.xlsx_str(p_ref text, p text)
returns text
language sql
stable
parallel safe
as $$
  select case when p is null or p = '' then '' else
    '<c r=''' || p_ref || ''' t=''inlineStr''><is><t>'
    || pg_catalog.translate(
         pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(p, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
         E'\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f', '')
    || '</t></is></c>' end
$$;

-- A quantity: whole numbers with #,##0, others with #,##0.### (no trailing zeros either way).
create or replace function private.xlsx_qty(p_ref text, p numeric)
returns text
language sql
stable
parallel safe
as $$
  select case when p is null then '' else
    '<c r=''' || p_ref || ''' s=''' || case when p = pg_catalog.trunc(p) then '2' else '3' end || '''><v>'
    || pg_catalog.trim_scale(p)::text || '</v></c>' end
$$;

-- An instant as an Excel date-time serial of its Seoul wall time, whole seconds (Asia/Seoul is
-- UTC+9 all year: 0.375 of a day past the Unix epoch's serial 25569).
create or replace function private.xlsx_time(p_ref text, p timestamptz)
returns text
language sql
stable
parallel safe
as $$
  select case when p is null then '' else
    '<c r=''' || p_ref || ''' s=''7''><v>'
    || (pg_catalog.floor(pg_catalog.date_part('epoch', p)) / 86400.0::float8 + 25569.375::float8)::text || '</v></c>' end
$$;

revoke all on function private.csv_text(text), private.xlsx_str(text, text), private.xlsx_qty(text, numeric),
  private.xlsx_time(text, timestamptz) from public;
grant execute on function private.csv_text(text), private.xlsx_str(text, text), private.xlsx_qty(text, numeric),
  private.xlsx_time(text, timestamptz) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- ledger_export_text (staff): {text, count, next}
--   p_format  'csv': one line a row, fields as lib/export/values.ts csvField writes them (times in
--             Seoul as YYYY-MM-DD HH:MM:SS, quantities without trailing zeros);
--             'xlsx': one <row r=…> a row, as the helpers above write cells.
--   p_kinds   flow kind -> its word in the user's language (a kind without a word stays a code).
--   p_row     xlsx: the sheet row of the batch's first row (the header is row 1).
-- Columns: lib/export/columns.ts COLUMNS.ledger, in that order.
-- ---------------------------------------------------------------------------------------------

create or replace function public.ledger_export_text(
  p_format text,
  p_kinds jsonb default null,
  p_row int default 2,
  p_item_id uuid default null,
  p_location_id uuid default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_after jsonb default null,
  p_limit int default 2000,
  p_actor uuid default null
)
returns json
language plpgsql
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
set datestyle = 'ISO, YMD'
set extra_float_digits = 1
as $$
declare
  v_limit int := private.export_limit(p_limit);
  v_before bigint := (p_after ->> 'id')::bigint;
  v_kinds jsonb := coalesce(p_kinds, '{}'::jsonb);
  v_text text;
  v_count int;
  v_last bigint;
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  if p_format is null or p_format not in ('csv', 'xlsx') then
    perform private.fail('bad_request', 'format must be csv or xlsx');
  end if;
  if p_row is null or p_row < 2 then
    perform private.fail('bad_request', 'row must be 2 or more');
  end if;

  select
    coalesce(
      string_agg(
        x.id::text || ',' || pg_catalog.date_trunc('second', x.created_at at time zone 'Asia/Seoul')::text || ','
          || private.csv_text(x.flow_number) || ',' || private.csv_text(x.flow_kind) || ','
          || private.csv_text(x.sku) || ',' || private.csv_text(x.name_ko) || ',' || private.csv_text(x.location_code) || ','
          || pg_catalog.trim_scale(x.delta)::text || ',' || pg_catalog.trim_scale(x.balance_after)::text || E'\n',
        '' order by x.id desc) filter (where p_format = 'csv'),
      string_agg(
        '<row r=''' || x.r || '''><c r=''A' || x.r || ''' s=''2''><v>' || x.id::text || '</v></c>'
          || private.xlsx_time('B' || x.r, x.created_at)
          || private.xlsx_str('C' || x.r, x.flow_number)
          || private.xlsx_str('D' || x.r, x.flow_kind)
          || private.xlsx_str('E' || x.r, x.sku)
          || private.xlsx_str('F' || x.r, x.name_ko)
          || private.xlsx_str('G' || x.r, x.location_code)
          || private.xlsx_qty('H' || x.r, x.delta)
          || private.xlsx_qty('I' || x.r, x.balance_after)
          || '</row>',
        '' order by x.id desc) filter (where p_format = 'xlsx')),
    count(*)::int,
    min(x.id)
  into v_text, v_count, v_last
  from (
    select m.id, m.created_at, f.number as flow_number, coalesce(v_kinds ->> f.kind, f.kind) as flow_kind, i.sku, i.name_ko,
           l.code as location_code, m.delta, m.balance_after,
           -- a window function also keeps this subquery whole, so x.* above are plain columns
           (p_row - 1 + row_number() over (order by m.id desc))::text as r
    from (
      select m.id, m.flow_id, m.item_id, m.location_id, m.delta, m.balance_after, m.created_at
      from public.stock_movements m
      where (p_item_id is null or m.item_id = p_item_id)
        and (p_location_id is null or m.location_id = p_location_id)
        and (p_from is null or m.created_at >= p_from)
        and (p_to is null or m.created_at < p_to)
        and (v_before is null or m.id < v_before)
      order by m.id desc
      limit v_limit) m
    join public.flows f on f.id = m.flow_id
    join public.items i on i.id = m.item_id
    join public.locations l on l.id = m.location_id) x;

  return json_build_object(
    'text', coalesce(v_text, ''),
    'count', v_count,
    'next', case when v_count = v_limit then json_build_object('id', v_last) end);
end;
$$;

revoke all on function public.ledger_export_text(text, jsonb, int, uuid, uuid, timestamptz, timestamptz, jsonb, int, uuid) from public, anon;
grant execute on function public.ledger_export_text(text, jsonb, int, uuid, uuid, timestamptz, timestamptz, jsonb, int, uuid)
  to authenticated, service_role;
