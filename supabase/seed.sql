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
