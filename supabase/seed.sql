-- Demo data. Loaded on the embedded database's first start and by `npm run db:seed`; never
-- loaded into Supabase unless asked (`supabase db reset` locally, or `npm run db:seed` on purpose).
-- Every demo user's password is `duly-demo-pass`.

insert into public.customers (id, code, name, business_number, contact_name, email, phone, address)
values
  ('c0000000-0000-4000-8000-000000000001', 'ACME', 'ACME Trading', '123-45-67890', 'Kim Minji',
   'orders@acme.test', '+82-2-555-0101', '12 Teheran-ro, Gangnam-gu, Seoul'),
  ('c0000000-0000-4000-8000-000000000002', 'BLUESKY', 'Blue Sky Co', '234-56-78901', 'Lee Junho',
   'buying@bluesky.test', '+82-51-555-0202', '88 Haeundae-ro, Busan')
on conflict (id) do nothing;

with demo (id, email, name, role, customer_id, locale) as (
  values
    ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@duly.test', 'Duly Admin', 'admin', null::uuid, 'ko'),
    ('a0000000-0000-4000-8000-000000000002'::uuid, 'manager@duly.test', 'Park Manager', 'manager', null::uuid, 'ko'),
    ('a0000000-0000-4000-8000-000000000003'::uuid, 'korean@duly.test', 'Choi Korean Team', 'korean_team', null::uuid, 'ko'),
    ('a0000000-0000-4000-8000-000000000004'::uuid, 'chinese@duly.test', 'Wang Chinese Staff', 'chinese_staff', null::uuid, 'zh'),
    ('a0000000-0000-4000-8000-000000000005'::uuid, 'customer@acme.test', 'ACME Buyer', 'customer', 'c0000000-0000-4000-8000-000000000001'::uuid, 'ko'),
    ('a0000000-0000-4000-8000-000000000006'::uuid, 'customer@bluesky.test', 'Blue Sky Buyer', 'customer', 'c0000000-0000-4000-8000-000000000002'::uuid, 'ko')
),
new_users as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at
  )
  select
    '00000000-0000-0000-0000-000000000000'::uuid, d.id, 'authenticated', 'authenticated', d.email,
    extensions.crypt('duly-demo-pass', extensions.gen_salt('bf', 10)), now(),
    jsonb_strip_nulls(jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'),
      'role', d.role, 'customer_id', d.customer_id, 'locale', d.locale)),
    jsonb_build_object('display_name', d.name),
    now(), now()
  from demo d
  where not exists (select 1 from auth.users u where u.id = d.id)
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select n.id::text, n.id, jsonb_build_object('sub', n.id::text, 'email', n.email, 'email_verified', true), 'email', now(), now(), now()
from new_users n;

-- ---------------------------------------------------------------------------------------------
-- Inventory: engines, locations, items, and flows in every status. Stock comes only from
-- committed flows, through the same functions the API calls, so the ledger and the stock agree.
-- ---------------------------------------------------------------------------------------------

-- Demo history: the flows are created, approved and committed now (in this one transaction), and
-- the last block below dates them over the 90 days before the first start, so the demo never
-- ages and the dashboard's 30-day trend and top movers have something to show. Each flow's date
-- is kept here while seeding.
create temp table seed_flow_times (flow_id uuid primary key, at timestamptz not null) on commit drop;

-- A weekday `p_days_ago` Seoul days back (weekends move to the Friday before), 09:00 plus
-- `p_step` × 50 minutes, so flows of one day keep the order they were committed in.
create function pg_temp.seed_at(p_days_ago int, p_step int default 0)
returns timestamptz
language sql
as $f$
  select ((d - case extract(isodow from d)::int when 6 then 1 when 7 then 2 else 0 end)
          + time '09:00' + p_step * interval '50 minutes') at time zone 'Asia/Seoul'
  from (select (now() at time zone 'Asia/Seoul')::date - p_days_ago as d) x
$f$;

-- One committed flow of the history: created by `p_creator`, approved and committed by
-- `p_manager` (never the creator), dated `p_at`. No lines, no flow.
create function pg_temp.seed_committed_flow(p_kind text, p_lines jsonb, p_from uuid, p_to uuid, p_customer uuid,
  p_partner text, p_reference text, p_note text, p_creator uuid, p_manager uuid, p_at timestamptz)
returns void
language plpgsql
as $f$
declare
  v_id uuid;
begin
  if p_lines is null or jsonb_array_length(p_lines) = 0 then
    return;
  end if;
  v_id := (public.flow_create(p_kind, p_lines, p_from, p_to, p_customer, p_partner, p_reference, p_note, p_creator) ->> 'id')::uuid;
  perform public.flow_submit(v_id, null, p_creator);
  perform public.flow_approve(v_id, null, p_manager);
  perform public.flow_commit(v_id, null, p_manager);
  insert into seed_flow_times (flow_id, at) values (v_id, p_at);
end;
$f$;

-- Act as the server (service role) with the demo staff as actors.
select set_config('request.jwt.claims', '{"role":"service_role"}', false);

insert into public.engines (id, code, name_ko, name_zh, name_en, description)
values
  ('e0000000-0000-4000-8000-000000000001', 'LCD', 'LCD 모니터', 'LCD显示器', 'LCD monitor', 'Monitors and panels sourced from Shenzhen factories'),
  ('e0000000-0000-4000-8000-000000000002', 'KEYB', '키보드', '键盘', 'Keyboard', 'Mechanical and membrane keyboards')
on conflict (id) do nothing;

insert into public.locations (id, code, name, country)
values
  ('10000000-0000-4000-8000-000000000001', 'KR-SEL', '서울 물류센터 (Seoul)', 'KR'),
  ('10000000-0000-4000-8000-000000000002', 'CN-YIW', '义乌仓库 (Yiwu)', 'CN')
on conflict (id) do nothing;

do $$
declare
  v_item record;
  v_ids uuid[];
  v_flow jsonb;
  v_admin uuid := 'a0000000-0000-4000-8000-000000000001';
  v_manager uuid := 'a0000000-0000-4000-8000-000000000002';
  v_korean uuid := 'a0000000-0000-4000-8000-000000000003';
  v_chinese uuid := 'a0000000-0000-4000-8000-000000000004';
  v_sel uuid := '10000000-0000-4000-8000-000000000001';
  v_yiw uuid := '10000000-0000-4000-8000-000000000002';
  v_acme uuid := 'c0000000-0000-4000-8000-000000000001';
  v_bluesky uuid := 'c0000000-0000-4000-8000-000000000002';
  v_lines jsonb;
  v_days int;
begin
  if exists (select 1 from public.items) then
    return;
  end if;

  for v_item in
    select * from (values
      ('LCD-24-FHD', '24인치 FHD 모니터', '24英寸全高清显示器', '24" FHD monitor', 'EA', 'LCD', 20, 129000, null, '8801000000011', 60, 25),
      ('LCD-27-QHD', '27인치 QHD 모니터', '27英寸2K显示器', '27" QHD monitor', 'EA', 'LCD', 15, 219000, null, '8801000000028', 40, 10),
      ('LCD-32-4K', '32인치 4K 모니터', '32英寸4K显示器', '32" 4K monitor', 'EA', 'LCD', 10, 389000, null, '8801000000035', 4, 6),
      ('LCD-34-UW', '34인치 울트라와이드 모니터', '34英寸带鱼屏显示器', '34" ultrawide monitor', 'EA', 'LCD', 8, 459000, null, '8801000000042', 12, 0),
      ('LCD-22-OFF', '22인치 사무용 모니터', '22英寸办公显示器', '22" office monitor', 'EA', 'LCD', 30, 89000, null, '8801000000059', 80, 40),
      ('LCD-ARM-1', '모니터 암 싱글', '单臂显示器支架', 'Single monitor arm', 'EA', 'LCD', 25, 35000, null, '8801000000066', 50, 30),
      ('LCD-ARM-2', '모니터 암 듀얼', '双臂显示器支架', 'Dual monitor arm', 'EA', 'LCD', 15, 59000, null, '8801000000073', 9, 0),
      ('LCD-CBL-HD', 'HDMI 케이블 2m', 'HDMI线2米', 'HDMI cable 2 m', 'EA', 'LCD', 100, 4500, null, '8801000000080', 300, 500),
      ('LCD-CBL-DP', 'DP 케이블 2m', 'DP线2米', 'DisplayPort cable 2 m', 'EA', 'LCD', 100, 5500, null, '8801000000097', 70, 120),
      ('LCD-PNL-24', '24인치 교체용 패널', '24英寸替换面板', '24" replacement panel', 'EA', 'LCD', 5, 68000, null, null, 2, 3),
      ('LCD-ACME-27', 'ACME 전용 27인치 모니터', 'ACME定制27英寸显示器', 'ACME private-label 27" monitor', 'EA', 'LCD', 10, 199000, 'ACME', '8801000000103', 30, 20),
      ('LCD-ACME-STD', 'ACME 모니터 스탠드', 'ACME显示器底座', 'ACME monitor stand', 'EA', 'LCD', 10, 22000, 'ACME', null, 40, 0),
      ('LCD-BSKY-24', '블루스카이 24인치 모니터', '蓝天24英寸显示器', 'Blue Sky 24" monitor', 'EA', 'LCD', 10, 119000, 'BLUESKY', '8801000000110', 18, 12),
      ('LCD-CLN-KIT', '모니터 클리닝 키트', '屏幕清洁套装', 'Screen cleaning kit', 'BOX', 'LCD', 20, 12000, null, null, 15, 10),
      ('LCD-PKG-BOX', '모니터 포장 박스', '显示器包装箱', 'Monitor shipping box', 'BOX', 'LCD', 50, 3000, null, null, 100, 200),
      ('KEYB-MX-RED', '기계식 키보드 적축', '机械键盘红轴', 'Mechanical keyboard (red switch)', 'EA', 'KEYB', 20, 89000, null, '8802000000019', 45, 30),
      ('KEYB-MX-BRN', '기계식 키보드 갈축', '机械键盘茶轴', 'Mechanical keyboard (brown switch)', 'EA', 'KEYB', 20, 89000, null, '8802000000026', 12, 5),
      ('KEYB-MX-BLU', '기계식 키보드 청축', '机械键盘青轴', 'Mechanical keyboard (blue switch)', 'EA', 'KEYB', 15, 85000, null, '8802000000033', 30, 0),
      ('KEYB-MEM-01', '멤브레인 키보드', '薄膜键盘', 'Membrane keyboard', 'EA', 'KEYB', 40, 19000, null, '8802000000040', 120, 60),
      ('KEYB-WL-01', '무선 키보드', '无线键盘', 'Wireless keyboard', 'EA', 'KEYB', 25, 39000, null, '8802000000057', 10, 8),
      ('KEYB-WL-SET', '무선 키보드 마우스 세트', '无线键鼠套装', 'Wireless keyboard and mouse set', 'SET', 'KEYB', 20, 49000, null, '8802000000064', 35, 15),
      ('KEYB-TKL-01', '텐키리스 키보드', '87键无数字键盘', 'Tenkeyless keyboard', 'EA', 'KEYB', 10, 69000, null, null, 22, 0),
      ('KEYB-CAP-PBT', 'PBT 키캡 세트', 'PBT键帽套装', 'PBT keycap set', 'SET', 'KEYB', 30, 25000, null, null, 60, 100),
      ('KEYB-SW-RED', '적축 스위치 (100개)', '红轴开关（100个）', 'Red switches (100 pcs)', 'BOX', 'KEYB', 20, 18000, null, null, 8, 40),
      ('KEYB-CBL-C', 'USB-C 키보드 케이블', 'USB-C键盘线', 'USB-C keyboard cable', 'EA', 'KEYB', 50, 6000, null, null, 150, 100),
      ('KEYB-PALM', '키보드 손목 받침대', '键盘手托', 'Keyboard palm rest', 'EA', 'KEYB', 20, 15000, null, null, 3, 2),
      ('KEYB-ACME-KR', 'ACME 한글 키보드', 'ACME韩文键盘', 'ACME Korean-layout keyboard', 'EA', 'KEYB', 20, 45000, 'ACME', '8802000000071', 55, 25),
      ('KEYB-BSKY-WL', '블루스카이 무선 키보드', '蓝天无线键盘', 'Blue Sky wireless keyboard', 'EA', 'KEYB', 20, 42000, 'BLUESKY', '8802000000088', 16, 30),
      ('KEYB-BSKY-MS', '블루스카이 무선 마우스', '蓝天无线鼠标', 'Blue Sky wireless mouse', 'EA', 'KEYB', 30, 15000, 'BLUESKY', null, 40, 0),
      ('KEYB-FELT', '데스크 매트 (펠트)', '毛毡桌垫', 'Felt desk mat', 'EA', 'KEYB', 20, 11000, null, null, 0, 0)
    ) as t(sku, name_ko, name_zh, name_en, unit, engine, reorder_point, unit_cost, owner, barcode, kr_qty, cn_qty)
  loop
    perform public.item_create(jsonb_build_object(
      'sku', v_item.sku, 'name_ko', v_item.name_ko, 'name_zh', v_item.name_zh, 'name_en', v_item.name_en,
      'unit', v_item.unit, 'engine_id', (select id from public.engines where code = v_item.engine),
      'reorder_point', v_item.reorder_point, 'unit_cost', v_item.unit_cost,
      'customer_id', (select id from public.customers where code = v_item.owner), 'barcode', v_item.barcode), v_korean);
  end loop;

  -- Opening stock: one committed inbound per warehouse, created by korean/chinese staff and
  -- approved and committed by the manager.
  for v_item in
    select * from (values (v_sel, 'KR'), (v_yiw, 'CN')) as t(location_id, country)
  loop
    select jsonb_agg(jsonb_build_object('item_id', i.id, 'qty', q.qty) order by i.sku)
    into v_lines
    from (values
      ('LCD-24-FHD', 60, 25), ('LCD-27-QHD', 40, 10), ('LCD-32-4K', 4, 6), ('LCD-34-UW', 12, 0), ('LCD-22-OFF', 80, 40),
      ('LCD-ARM-1', 50, 30), ('LCD-ARM-2', 9, 0), ('LCD-CBL-HD', 300, 500), ('LCD-CBL-DP', 70, 120), ('LCD-PNL-24', 2, 3),
      ('LCD-ACME-27', 30, 20), ('LCD-ACME-STD', 40, 0), ('LCD-BSKY-24', 18, 12), ('LCD-CLN-KIT', 15, 10), ('LCD-PKG-BOX', 100, 200),
      ('KEYB-MX-RED', 45, 30), ('KEYB-MX-BRN', 12, 5), ('KEYB-MX-BLU', 30, 0), ('KEYB-MEM-01', 120, 60), ('KEYB-WL-01', 10, 8),
      ('KEYB-WL-SET', 35, 15), ('KEYB-TKL-01', 22, 0), ('KEYB-CAP-PBT', 60, 100), ('KEYB-SW-RED', 8, 40), ('KEYB-CBL-C', 150, 100),
      ('KEYB-PALM', 3, 2), ('KEYB-ACME-KR', 55, 25), ('KEYB-BSKY-WL', 16, 30), ('KEYB-BSKY-MS', 40, 0)
    ) as q0(sku, kr, cn)
    cross join lateral (select case when v_item.country = 'KR' then q0.kr else q0.cn end as qty) q
    join public.items i on i.sku = q0.sku
    where q.qty > 0;

    v_flow := public.flow_create('inbound', v_lines, null, v_item.location_id, null, 'Opening balance', 'OPEN-' || v_item.country,
      'Opening stock', case when v_item.country = 'KR' then v_korean else v_chinese end);
    perform public.flow_submit((v_flow ->> 'id')::uuid, null, case when v_item.country = 'KR' then v_korean else v_chinese end);
    perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_manager);
    perform public.flow_commit((v_flow ->> 'id')::uuid, null, v_manager);
  end loop;

  -- Twelve weeks of trade, net zero for every item and warehouse, so the stock ends where the
  -- opening balance put it and never goes below it: two Chinese factories deliver to Yiwu on two
  -- days, the goods leave by sea for Seoul the day after, and Seoul ships them to ACME and Blue Sky (each
  -- customer's own goods only to that customer, common goods split between them).
  for w in 0..12 loop
    v_days := 86 - 6 * w;
    select jsonb_agg(jsonb_build_object('item_id', p.id, 'qty', p.qty, 'owner', p.owner, 'engine', p.engine) order by p.sku)
    into v_lines
    from (
      select i.id, i.sku, c.code as owner, e.code as engine,
             greatest(5, (i.reorder_point * (2 + w % 3) / 2 / 5) * 5)::int as qty,
             row_number() over (partition by e.code order by i.sku) - 1 as n,
             count(*) over (partition by e.code) as total
      from public.items i
      join public.engines e on e.id = i.engine_id
      left join public.customers c on c.id = i.customer_id
      where i.sku not in ('KEYB-FELT')
    ) p
    where p.n in ((w * 2) % p.total, (w * 2 + 7) % p.total);

    perform pg_temp.seed_committed_flow('inbound',
      (select jsonb_agg(l - 'owner' - 'engine') from jsonb_array_elements(v_lines) l where l ->> 'engine' = 'LCD'),
      null, v_yiw, null, 'Shenzhen Bright Display Co.', 'SZ-PO-' || (5400 + w), null, v_chinese, v_manager, pg_temp.seed_at(v_days, 0));
    perform pg_temp.seed_committed_flow('inbound',
      (select jsonb_agg(l - 'owner' - 'engine') from jsonb_array_elements(v_lines) l where l ->> 'engine' = 'KEYB'),
      null, v_yiw, null, 'Dongguan KeyTech Ltd.', 'DG-PO-' || (7100 + w), null, v_chinese, v_manager, pg_temp.seed_at(v_days - 1, 1));
    perform pg_temp.seed_committed_flow('transfer',
      (select jsonb_agg(l - 'owner' - 'engine') from jsonb_array_elements(v_lines) l),
      v_yiw, v_sel, null, null, 'TRF-SEA-' || lpad((60 + w)::text, 4, '0'), 'Sea freight Ningbo → Incheon', v_chinese, v_manager,
      pg_temp.seed_at(v_days - 2, 3));
    perform pg_temp.seed_committed_flow('outbound',
      (select jsonb_agg(jsonb_build_object('item_id', l -> 'item_id',
                'qty', case when l ->> 'owner' = 'ACME' then (l ->> 'qty')::int else ceil((l ->> 'qty')::int * 0.6)::int end))
       from jsonb_array_elements(v_lines) l where coalesce(l ->> 'owner', 'ACME') = 'ACME'),
      v_sel, null, v_acme, null, 'PO-ACME-2026-' || lpad((300 + 7 * w)::text, 4, '0'), null, v_korean, v_manager,
      pg_temp.seed_at(v_days - 4, 4));
    perform pg_temp.seed_committed_flow('outbound',
      (select jsonb_agg(jsonb_build_object('item_id', l -> 'item_id',
                'qty', case when l ->> 'owner' = 'BLUESKY' then (l ->> 'qty')::int else (l ->> 'qty')::int - ceil((l ->> 'qty')::int * 0.6)::int end))
       from jsonb_array_elements(v_lines) l where coalesce(l ->> 'owner', 'BLUESKY') = 'BLUESKY'),
      v_sel, null, v_bluesky, null, 'BS-' || (7600 + 9 * w), null, v_korean, case when w % 4 = 3 then v_admin else v_manager end,
      pg_temp.seed_at(v_days - 5, 5));
  end loop;

  -- Committed outbounds to both customers (their shipments) and a committed transfer.
  v_flow := public.flow_create('outbound', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-ACME-27'), 'qty', 10),
      jsonb_build_object('item_id', (select id from public.items where sku = 'KEYB-ACME-KR'), 'qty', 20)),
    v_sel, null, v_acme, 'ACME Trading', 'PO-ACME-2026-0412', 'Spring order', v_korean);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_korean);
  perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_manager);
  perform public.flow_commit((v_flow ->> 'id')::uuid, null, v_manager);

  v_flow := public.flow_create('outbound', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-BSKY-24'), 'qty', 8),
      jsonb_build_object('item_id', (select id from public.items where sku = 'KEYB-BSKY-WL'), 'qty', 6)),
    v_sel, null, v_bluesky, 'Blue Sky Co', 'BS-7781', null, v_korean);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_korean);
  perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_admin);
  perform public.flow_commit((v_flow ->> 'id')::uuid, null, v_admin);

  v_flow := public.flow_create('transfer', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-CBL-HD'), 'qty', 100),
      jsonb_build_object('item_id', (select id from public.items where sku = 'KEYB-CAP-PBT'), 'qty', 20)),
    v_yiw, v_sel, null, null, 'TRF-SEA-0093', 'Sea freight Ningbo → Incheon', v_chinese);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_chinese);
  perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_manager);
  perform public.flow_commit((v_flow ->> 'id')::uuid, null, v_manager);

  -- An adjustment after a stock count.
  v_flow := public.flow_create('adjustment', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-PKG-BOX'), 'qty', -5)),
    null, v_sel, null, null, 'COUNT-2026-11', 'Damaged boxes found at stock count', v_korean);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_korean);
  perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_manager);
  perform public.flow_commit((v_flow ->> 'id')::uuid, null, v_manager);

  -- Flows waiting at each step.
  v_flow := public.flow_create('inbound', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-32-4K'), 'qty', 20)),
    null, v_yiw, null, 'Shenzhen Bright Display Co.', 'SZ-PO-5521', 'Factory delivery next week', v_chinese);

  v_flow := public.flow_create('outbound', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'LCD-ACME-STD'), 'qty', 15)),
    v_sel, null, v_acme, 'ACME Trading', 'PO-ACME-2026-0530', null, v_korean);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_korean);

  v_flow := public.flow_create('outbound', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'KEYB-BSKY-MS'), 'qty', 12)),
    v_sel, null, v_bluesky, 'Blue Sky Co', 'BS-7802', null, v_korean);
  perform public.flow_submit((v_flow ->> 'id')::uuid, null, v_korean);
  perform public.flow_approve((v_flow ->> 'id')::uuid, null, v_manager);

  v_flow := public.flow_create('transfer', jsonb_build_array(
      jsonb_build_object('item_id', (select id from public.items where sku = 'KEYB-MEM-01'), 'qty', 30)),
    v_sel, v_yiw, null, null, null, 'Planned return to Yiwu, cancelled', v_korean);
  perform public.flow_cancel((v_flow ->> 'id')::uuid, 'Customer changed the order', null, v_korean);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Inspection applications in every status and message threads, for both customers, through the
-- same functions the API calls, so the timeline (who did what) is real. ACME has one in every status,
-- Blue Sky several; the tests find them by customer, not by id.
-- ---------------------------------------------------------------------------------------------

do $$
declare
  v_manager uuid := 'a0000000-0000-4000-8000-000000000002';
  v_korean uuid := 'a0000000-0000-4000-8000-000000000003';
  v_chinese uuid := 'a0000000-0000-4000-8000-000000000004';
  v_acme_user uuid := 'a0000000-0000-4000-8000-000000000005';
  v_bluesky_user uuid := 'a0000000-0000-4000-8000-000000000006';
  v jsonb;
  v_id uuid;
begin
  if exists (select 1 from public.inspection_applications) then
    return;
  end if;

  -- ACME: completed (pass), report ready, in progress, scheduled, submitted, cancelled.
  v := public.inspection_create(jsonb_build_object('product', 'ACME private-label 27" monitor', 'quantity', 1200,
    'factory_name', 'Shenzhen Bright Display Co.', 'factory_address', 'Bao''an District, Shenzhen', 'factory_contact', 'Mr. Zhang +86-755-0000-1111',
    'inspection_type', 'pre_shipment', 'requested_date', (current_date - 40)::text, 'notes', 'Check dead pixels on 10% of units'), v_acme_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date - 35, v_chinese, v_korean);
  perform public.inspection_start(v_id, v_chinese);
  perform public.inspection_report(v_id, 'pass', v_chinese);
  perform public.inspection_complete(v_id, 'pass', v_manager);
  perform public.inspection_set_internal_notes(v_id, 'Factory asked for faster payment terms; staff only.', v_korean);
  perform public.message_send(v_id, '검수 결과 보고서 언제 받을 수 있을까요?', v_acme_user);
  perform public.message_send(v_id, 'The report is ready in the portal. All units passed.', v_chinese);
  perform public.messages_mark_read(v_id, v_acme_user);

  v := public.inspection_create(jsonb_build_object('product', 'ACME Korean-layout keyboard', 'quantity', 3000,
    'factory_name', 'Dongguan KeyTech Ltd.', 'factory_address', 'Chang''an Town, Dongguan',
    'inspection_type', 'during_production', 'requested_date', (current_date - 10)::text), v_acme_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date - 7, v_chinese, v_korean);
  perform public.inspection_start(v_id, v_chinese);
  perform public.inspection_report(v_id, 'fail', v_chinese);
  perform public.inspection_set_internal_notes(v_id, 'Keycap legends misaligned on batch 3; discuss rework cost before telling the customer.', v_chinese);
  perform public.message_send(v_id, 'Some keycaps were misaligned. Please see the report; we suggest a re-inspection after rework.', v_korean);

  v := public.inspection_create(jsonb_build_object('product', 'ACME monitor stand', 'quantity', 800,
    'factory_name', 'Ningbo Metalworks', 'inspection_type', 'pre_shipment', 'requested_date', (current_date + 1)::text), v_acme_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date, v_chinese, v_manager);
  perform public.inspection_start(v_id, v_chinese);

  v := public.inspection_create(jsonb_build_object('product', 'ACME private-label 27" monitor (2nd lot)', 'quantity', 600,
    'factory_name', 'Shenzhen Bright Display Co.', 'inspection_type', 'loading', 'requested_date', (current_date + 14)::text), v_acme_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date + 14, v_chinese, v_korean);
  perform public.message_send(v_id, 'Can the inspector also check the carton markings?', v_acme_user);

  v := public.inspection_create(jsonb_build_object('product', 'USB-C keyboard cables', 'quantity', 5000,
    'factory_name', 'Yiwu Cable Factory', 'factory_contact', 'Ms. Chen', 'inspection_type', 'pre_production',
    'requested_date', (current_date + 21)::text, 'notes', 'First order with this factory'), v_acme_user);

  v := public.inspection_create(jsonb_build_object('product', 'Monitor arms', 'quantity', 400,
    'factory_name', 'Hangzhou Mounts Co.', 'inspection_type', 'pre_shipment', 'requested_date', (current_date + 5)::text), v_acme_user);
  perform public.inspection_cancel((v ->> 'id')::uuid, 'Order moved to next quarter', v_acme_user);

  -- Blue Sky: completed (fail), scheduled, submitted (by staff, on the phone), cancelled by staff.
  v := public.inspection_create(jsonb_build_object('product', 'Blue Sky 24" monitor', 'quantity', 900,
    'factory_name', 'Guangzhou Vision Panel Ltd.', 'factory_address', 'Huangpu District, Guangzhou',
    'inspection_type', 'pre_shipment', 'requested_date', (current_date - 30)::text), v_bluesky_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date - 28, v_chinese, v_korean);
  perform public.inspection_start(v_id, v_chinese);
  perform public.inspection_report(v_id, null, v_chinese);
  perform public.inspection_complete(v_id, 'fail', v_manager);
  perform public.inspection_set_internal_notes(v_id, 'Blue Sky pays late; keep deposits upfront.', v_manager);
  perform public.message_send(v_id, 'Why did the lot fail?', v_bluesky_user);
  perform public.message_send(v_id, 'Backlight bleeding on 6% of sampled units, above the 2.5% AQL limit.', v_chinese);

  v := public.inspection_create(jsonb_build_object('product', 'Blue Sky wireless keyboard', 'quantity', 2000,
    'factory_name', 'Shenzhen Wireless Input Co.', 'inspection_type', 'during_production', 'requested_date', (current_date + 7)::text), v_bluesky_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date + 8, v_chinese, v_korean);
  perform public.message_send(v_id, 'Please confirm the inspector''s arrival time.', v_bluesky_user);

  v := public.inspection_create(jsonb_build_object('customer_id', 'c0000000-0000-4000-8000-000000000002', 'product', 'Blue Sky wireless mouse',
    'quantity', 2500, 'factory_name', 'Xiamen Peripherals', 'inspection_type', 'pre_shipment',
    'requested_date', (current_date + 30)::text, 'notes', 'Requested by phone'), v_korean);

  v := public.inspection_create(jsonb_build_object('product', 'Felt desk mats', 'quantity', 1000,
    'factory_name', 'Yiwu Felt Goods', 'inspection_type', 'loading', 'requested_date', (current_date + 3)::text), v_bluesky_user);
  v_id := (v ->> 'id')::uuid;
  perform public.inspection_schedule(v_id, current_date + 3, v_chinese, v_korean);
  perform public.inspection_cancel(v_id, 'Factory closed for inventory', v_korean);
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Dates: spread what was just seeded over the 90 days before today. The opening balance is 90
-- days old, the history above follows it week by week, and the named flows above happened in the
-- last days. Times are Seoul office hours. Run only when this seed created the flows.
-- ---------------------------------------------------------------------------------------------

do $$
begin
  if not exists (select 1 from seed_flow_times) then
    return;
  end if;

  insert into seed_flow_times (flow_id, at)
  select f.id, case f.reference
      when 'OPEN-KR' then pg_temp.seed_at(90, 0)
      when 'OPEN-CN' then pg_temp.seed_at(90, 1)
      when 'PO-ACME-2026-0412' then pg_temp.seed_at(8, 6)
      when 'BS-7781' then pg_temp.seed_at(6, 6)
      when 'TRF-SEA-0093' then pg_temp.seed_at(5, 6)
      when 'COUNT-2026-11' then pg_temp.seed_at(3, 6)
      when 'SZ-PO-5521' then pg_temp.seed_at(2, 6)
      when 'PO-ACME-2026-0530' then pg_temp.seed_at(2, 7)
      when 'BS-7802' then pg_temp.seed_at(1, 6)
      else pg_temp.seed_at(1, 7) end
  from public.flows f
  where f.created_at = now()
  on conflict (flow_id) do nothing;

  -- Dating is not a change of the records: no audit rows, no updated_at = now() for it.
  alter table public.flows disable trigger flows_audit;
  alter table public.flows disable trigger flows_touch;

  -- Each step an hour or two after the one before; the number carries the year it was created in.
  update public.flows f
  set created_at = t.at,
      submitted_at = case when f.submitted_at is not null then t.at + interval '1 hour' end,
      approved_at = case when f.approved_at is not null then t.at + interval '3 hours' end,
      committed_at = case when f.committed_at is not null then t.at + interval '4 hours' end,
      cancelled_at = case when f.cancelled_at is not null then t.at + interval '2 hours' end,
      number = regexp_replace(f.number, '^([A-Z]+)-[0-9]{4}-',
        '\1-' || extract(year from t.at at time zone 'Asia/Seoul')::int || '-')
  from seed_flow_times t
  where t.flow_id = f.id;
  update public.flows f
  set updated_at = greatest(f.created_at, f.submitted_at, f.approved_at, f.committed_at, f.cancelled_at)
  from seed_flow_times t where t.flow_id = f.id;

  alter table public.flows enable trigger flows_audit;
  alter table public.flows enable trigger flows_touch;

  -- The ledger refuses every change; this one, in the seed's own transaction, only dates the
  -- movements with their flows' commits (deltas and balances stay as the commits wrote them).
  alter table public.stock_movements disable trigger stock_movements_append_only;
  update public.stock_movements m set created_at = f.committed_at
  from public.flows f join seed_flow_times t on t.flow_id = f.id
  where m.flow_id = f.id;
  alter table public.stock_movements enable trigger stock_movements_append_only;

  -- The daily totals were written on commit under today's date: add them up again by commit day.
  delete from public.flow_daily_totals;
  insert into public.flow_daily_totals (day, kind, item_id, qty, lines)
  select (f.committed_at at time zone 'Asia/Seoul')::date, f.kind, fl.item_id, sum(abs(fl.qty)), count(*)
  from public.flows f
  join private.all_flow_lines fl on fl.flow_id = f.id
  where f.status = 'committed'
  group by 1, 2, 3;

  -- The audit trail tells the same story: each flow's rows at the time of their step.
  update public.audit_log a
  set created_at = case coalesce(a.after ->> 'status', a.before ->> 'status')
        when 'submitted' then f.submitted_at
        when 'approved' then f.approved_at
        when 'committed' then f.committed_at
        when 'cancelled' then f.cancelled_at
        else f.created_at end,
      after = case when a.after is null then null else a.after || jsonb_build_object('number', f.number) end,
      before = case when a.before is null then null else a.before || jsonb_build_object('number', f.number) end
  from public.flows f join seed_flow_times t on t.flow_id = f.id
  where a.table_name = 'flows' and a.row_id = f.id::text;
  update public.audit_log a set created_at = f.created_at
  from public.flows f join seed_flow_times t on t.flow_id = f.id
  where a.table_name = 'flow_lines' and (a.after ->> 'flow_id') = f.id::text;
end
$$;

select set_config('request.jwt.claims', '', false);
