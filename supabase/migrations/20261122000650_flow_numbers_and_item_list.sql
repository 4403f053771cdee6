-- Flow numbers from sequences, and the item list's page query. (Changes to migrations that have
-- already been applied go in a new migration: `supabase db push` never runs a file twice.)
--
-- Access intent: no new access. The sequences live in `private`, used only by the security-definer
-- private.next_flow_number; items_list keeps its signature and so its grants.

-- ---------------------------------------------------------------------------------------------
-- Readable flow numbers: OUT-2026-000123 (year of creation, Seoul time)
-- ---------------------------------------------------------------------------------------------
-- Sequences, not a counter row: the row was locked by every create until it committed, so
-- concurrent creates queued behind each other (npm run bench). Numbers may skip after a
-- rolled-back create, and no longer restart each year.

create sequence if not exists private.flow_number_in_seq;
create sequence if not exists private.flow_number_out_seq;
create sequence if not exists private.flow_number_trf_seq;
create sequence if not exists private.flow_number_adj_seq;

-- Continue after the highest number the counter table handed out.
select setval(s.seq, c.last_value)
from (values ('IN', 'private.flow_number_in_seq'), ('OUT', 'private.flow_number_out_seq'),
             ('TRF', 'private.flow_number_trf_seq'), ('ADJ', 'private.flow_number_adj_seq')) as s(prefix, seq)
join (select prefix, max(last_value) as last_value from private.flow_counters group by prefix) c on c.prefix = s.prefix;

create or replace function private.next_flow_number(p_kind text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_prefix text := case p_kind when 'inbound' then 'IN' when 'outbound' then 'OUT' when 'transfer' then 'TRF' else 'ADJ' end;
  v_number text;
begin
  -- A number may already exist when the flows came from elsewhere (npm run db:restore loads
  -- public tables only, so the sequences start over): skip to the next free one.
  loop
    v_number := format('%s-%s-%s', v_prefix, extract(year from now() at time zone 'Asia/Seoul')::int,
      lpad((case p_kind
              when 'inbound' then nextval('private.flow_number_in_seq')
              when 'outbound' then nextval('private.flow_number_out_seq')
              when 'transfer' then nextval('private.flow_number_trf_seq')
              else nextval('private.flow_number_adj_seq') end)::text, 6, '0'));
    exit when not exists (select 1 from public.flows f where f.number = v_number);
  end loop;
  return v_number;
end;
$$;
revoke all on function private.next_flow_number(text) from public;

drop table private.flow_counters;

-- ---------------------------------------------------------------------------------------------
-- Item list: sort and search indexes; the page's ids first, then their rows
-- ---------------------------------------------------------------------------------------------

create index if not exists items_sku_idx on public.items (sku);
create index if not exists items_name_ko_idx on public.items (name_ko, sku);

create or replace function public.items_list(
  p_q text default null,
  p_engine_id uuid default null,
  p_active boolean default null,
  p_customer_id uuid default null,
  p_sort text default 'sku',
  p_page int default 1,
  p_limit int default 10,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_offset int := private.page_offset(p_page, p_limit);
  v_order text;
  v_where text := 'true';
  v_data jsonb;
  v_count bigint;
  v_ids uuid[];
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_order := case p_sort
    when 'sku' then 'i.sku asc'
    when '-sku' then 'i.sku desc'
    when 'name' then 'i.name_ko asc, i.sku asc'
    when '-name' then 'i.name_ko desc, i.sku asc'
    when 'unit_cost' then 'i.unit_cost asc, i.sku asc'
    when '-unit_cost' then 'i.unit_cost desc, i.sku asc'
    when 'on_hand' then 'coalesce(t.on_hand, 0) asc, i.sku asc'
    when '-on_hand' then 'coalesce(t.on_hand, 0) desc, i.sku asc'
    when 'created_at' then 'i.created_at asc, i.sku asc'
    when '-created_at' then 'i.created_at desc, i.sku asc'
    when 'updated_at' then 'i.updated_at asc, i.sku asc'
    when '-updated_at' then 'i.updated_at desc, i.sku asc'
  end;
  if v_order is null then
    perform private.fail('bad_request', 'Unknown sort', jsonb_build_object('sort', p_sort));
  end if;
  if nullif(trim(p_q), '') is not null then
    v_where := v_where || ' and (i.sku ilike $1 or i.name_ko ilike $1 or i.name_zh ilike $1 or i.name_en ilike $1 or i.barcode = $5)';
  end if;
  if p_engine_id is not null then v_where := v_where || ' and i.engine_id = $2'; end if;
  if p_active is not null then v_where := v_where || ' and i.active = $3'; end if;
  if p_customer_id is not null then v_where := v_where || ' and i.customer_id = $4'; end if;

  execute format('select count(*) from public.items i where %s', v_where)
    into v_count using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  -- The page's ids first (an index can serve the order and the limit), then their rows.
  execute format(
    'select coalesce(array_agg(x.id), ''{}'') from (
       select i.id from public.items i left join public.item_stock_totals t on t.item_id = i.id
       where %s order by %s limit %s offset %s) x',
    v_where, v_order, p_limit, v_offset)
    into v_ids using private.like_pattern(p_q), p_engine_id, p_active, p_customer_id, trim(p_q);
  select coalesce(jsonb_agg(to_jsonb(i) || jsonb_build_object('on_hand', coalesce(t.on_hand, 0), 'engine_code', e.code) order by p.ord), '[]'::jsonb)
  into v_data
  from unnest(v_ids) with ordinality as p(id, ord)
  join public.items i on i.id = p.id
  left join public.item_stock_totals t on t.item_id = i.id
  left join public.engines e on e.id = i.engine_id;
  return jsonb_build_object('data', v_data, 'count', v_count, 'page', p_page, 'limit', p_limit);
end;
$$;
