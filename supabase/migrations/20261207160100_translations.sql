-- Machine translation (issue 19): the glossary, the translation cache, the sources each cached
-- translation was made for, per-user daily usage, and each user's auto-translate preference.
--
-- Access intent
--   translation_terms: the glossary (ko/zh/en forms of product words, company and factory names,
--     units). Staff read it; admins change it through glossary_save/glossary_delete. Customers
--     never read it (it names other companies). Any change bumps the glossary version, so cached
--     translations made with the old glossary are no longer used.
--   translations: the cache, one row per (text hash, source language, target language, glossary
--     version). Who may read a row is decided by who may read an original it was made for
--     (translation_sources): staff read every row; a customer reads a row only when it translates
--     a record their company may read (their thread's messages, their application's own notes,
--     their own goods' names), never an internal note or a flow note. Written only by the
--     service role (translation_store), which the app calls after the provider answered.
--   translation_sources: which record (type, id, field) a cached translation was made for; read
--     under the same rule.
--   translation_usage: characters sent and requests made per user and day (Asia/Seoul); admins
--     read it (the usage page); written only by the service role.
--   translation_preferences: a user's own "translate incoming messages" switch; each user reads
--     and sets only their own, through translation_settings_get/_set.

-- ---------------------------------------------------------------------------------------------
-- Glossary and its version
-- ---------------------------------------------------------------------------------------------

create table private.translation_state (
  id boolean primary key default true,
  glossary_version integer not null default 1,
  constraint translation_state_one_row check (id)
);
insert into private.translation_state (id) values (true);
revoke all on private.translation_state from public, anon, authenticated;

create or replace function private.glossary_version()
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select glossary_version from private.translation_state where id
$$;
revoke all on function private.glossary_version() from public;
grant execute on function private.glossary_version() to authenticated, service_role;

create table public.translation_terms (
  id uuid primary key default gen_random_uuid(),
  term_ko text,
  term_zh text,
  term_en text,
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint translation_terms_two_forms check (
    (case when term_ko is null then 0 else 1 end) + (case when term_zh is null then 0 else 1 end)
      + (case when term_en is null then 0 else 1 end) >= 2),
  constraint translation_terms_lengths check (
    coalesce(char_length(term_ko), 1) between 1 and 200 and coalesce(char_length(term_zh), 1) between 1 and 200
    and coalesce(char_length(term_en), 1) between 1 and 200 and coalesce(char_length(note), 0) <= 500)
);
create index translation_terms_ko_idx on public.translation_terms (term_ko);
create trigger translation_terms_touch before update on public.translation_terms for each row execute function private.touch_updated_at();
create trigger translation_terms_audit after insert or update or delete on public.translation_terms for each row execute function private.audit_row();

alter table public.translation_terms enable row level security;
revoke all on public.translation_terms from anon, authenticated;
grant select on public.translation_terms to authenticated;
grant all on public.translation_terms to service_role;

create policy "staff read the glossary"
  on public.translation_terms for select to authenticated
  using ((select private.may('records:read')));

create or replace function private.bump_glossary_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update private.translation_state set glossary_version = glossary_version + 1 where id;
  return null;
end;
$$;
revoke all on function private.bump_glossary_version() from public;
create trigger translation_terms_version after insert or update or delete on public.translation_terms
  for each statement execute function private.bump_glossary_version();

-- ---------------------------------------------------------------------------------------------
-- Whether the caller may read a source record's text
-- ---------------------------------------------------------------------------------------------

-- Types and fields: message.body; inspection_note.notes|internal_notes|cancel_reason;
-- flow_note.note; item.name_ko|name_zh|name_en. Staff (records:read) read all of them; a
-- customer reads their company's messages, their company's applications' own notes and cancel
-- reasons, and the names of goods their company owns; never an internal note or a flow note.
create or replace function private.translation_source_readable(p_type text, p_id uuid, p_field text, p_actor uuid default null)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_customer uuid;
begin
  if private.actor(p_actor) is null then
    return false;
  end if;
  if private.actor_role(p_actor) = any (private.roles_for('records:read')) then
    return case p_type
      when 'message' then p_field = 'body' and exists (select 1 from public.messages m where m.id = p_id)
      when 'inspection_note' then p_field in ('notes', 'internal_notes', 'cancel_reason')
        and exists (select 1 from public.inspection_applications i where i.id = p_id)
      when 'flow_note' then p_field = 'note' and exists (select 1 from public.flows f where f.id = p_id)
      when 'item' then p_field in ('name_ko', 'name_zh', 'name_en') and exists (select 1 from public.items t where t.id = p_id)
      else false
    end;
  end if;
  v_customer := private.actor_customer_id(p_actor);
  if v_customer is null then
    return false;
  end if;
  return case p_type
    when 'message' then p_field = 'body' and exists (select 1 from public.messages m where m.id = p_id and m.customer_id = v_customer)
    when 'inspection_note' then p_field in ('notes', 'cancel_reason')
      and exists (select 1 from public.inspection_applications i where i.id = p_id and i.customer_id = v_customer)
    when 'item' then p_field in ('name_ko', 'name_zh', 'name_en')
      and exists (select 1 from public.items t where t.id = p_id and t.customer_id = v_customer)
    else false
  end;
end;
$$;
revoke all on function private.translation_source_readable(text, uuid, text, uuid) from public;
grant execute on function private.translation_source_readable(text, uuid, text, uuid) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- The cache
-- ---------------------------------------------------------------------------------------------

create table public.translations (
  id uuid primary key default gen_random_uuid(),
  text_hash text not null,
  source_lang text not null,
  target_lang text not null,
  glossary_version integer not null,
  translated text not null,
  source_chars integer not null,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint translations_hash_format check (text_hash ~ '^[0-9a-f]{64}$'),
  constraint translations_langs check (source_lang in ('ko', 'zh', 'en') and target_lang in ('ko', 'zh', 'en') and source_lang <> target_lang),
  constraint translations_length check (char_length(translated) between 1 and 20000)
);
create unique index translations_key on public.translations (text_hash, source_lang, target_lang, glossary_version);
create index translations_created_by_idx on public.translations (created_by);
create trigger translations_touch before update on public.translations for each row execute function private.touch_updated_at();

create table public.translation_sources (
  translation_id uuid not null references public.translations (id) on delete cascade,
  source_type text not null,
  source_id uuid not null,
  field text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (translation_id, source_type, source_id, field),
  constraint translation_sources_type check (source_type in ('message', 'inspection_note', 'flow_note', 'item'))
);
create index translation_sources_source_idx on public.translation_sources (source_type, source_id);

alter table public.translations enable row level security;
alter table public.translation_sources enable row level security;
revoke all on public.translations, public.translation_sources from anon, authenticated;
grant select on public.translations, public.translation_sources to authenticated;
grant all on public.translations, public.translation_sources to service_role;

create policy "readers of an original read its translations"
  on public.translations for select to authenticated
  using (
    (select private.may('records:read'))
    or exists (select 1 from public.translation_sources s
               where s.translation_id = translations.id
                 and private.translation_source_readable(s.source_type, s.source_id, s.field)));

create policy "readers of an original read what its translations were made for"
  on public.translation_sources for select to authenticated
  using ((select private.may('records:read')) or private.translation_source_readable(source_type, source_id, field));

-- ---------------------------------------------------------------------------------------------
-- Usage and preferences
-- ---------------------------------------------------------------------------------------------

create table public.translation_usage (
  user_id uuid not null references public.profiles (id) on delete cascade,
  day date not null,
  chars integer not null default 0,
  requests integer not null default 0,
  cached integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, day)
);
create index translation_usage_day_idx on public.translation_usage (day);
create trigger translation_usage_touch before update on public.translation_usage for each row execute function private.touch_updated_at();
alter table public.translation_usage enable row level security;
revoke all on public.translation_usage from anon, authenticated;
grant select on public.translation_usage to authenticated;
grant all on public.translation_usage to service_role;

create policy "admins read translation usage"
  on public.translation_usage for select to authenticated
  using ((select private.may('users:manage')));

create table public.translation_preferences (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  auto_translate boolean not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger translation_preferences_touch before update on public.translation_preferences for each row execute function private.touch_updated_at();
alter table public.translation_preferences enable row level security;
revoke all on public.translation_preferences from anon, authenticated;
grant select on public.translation_preferences to authenticated;
grant all on public.translation_preferences to service_role;

create policy "each user reads their own translation preference"
  on public.translation_preferences for select to authenticated
  using (user_id = (select private.actor(null)));

-- The day usage counts in: the company's day, in Korea.
create or replace function private.translation_day()
returns date
language sql
stable
set search_path = ''
as $$
  select (now() at time zone 'Asia/Seoul')::date
$$;
revoke all on function private.translation_day() from public;
grant execute on function private.translation_day() to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Functions on the authenticated surface (each checks everything itself)
-- ---------------------------------------------------------------------------------------------

-- The text of a record to translate, read as the caller: what they may not read is not found.
-- For an item without a named field: its first name (ko, en, zh) not already in p_target.
create or replace function public.translation_source(p_type text, p_id uuid, p_field text default null,
  p_target text default null, p_actor uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_field text := p_field;
  v_text text;
begin
  if v_actor is null or private.actor_role(p_actor) is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if p_type is null or p_type not in ('message', 'inspection_note', 'flow_note', 'item') then
    perform private.fail_field('source.type', 'Choose message, inspection_note, flow_note or item');
  end if;
  if p_target is not null and p_target not in ('ko', 'zh', 'en') then
    perform private.fail_field('target', 'Choose ko, zh or en');
  end if;
  if v_field is null then
    v_field := case p_type when 'message' then 'body' when 'inspection_note' then 'internal_notes' when 'flow_note' then 'note' end;
  end if;
  if p_type = 'item' and v_field is null then
    select case
      when coalesce(p_target, '') <> 'ko' and nullif(t.name_ko, '') is not null then 'name_ko'
      when coalesce(p_target, '') <> 'en' and nullif(t.name_en, '') is not null then 'name_en'
      when coalesce(p_target, '') <> 'zh' and nullif(t.name_zh, '') is not null then 'name_zh'
      else 'name_ko' end
    into v_field from public.items t where t.id = p_id;
  end if;
  if v_field is null or not private.translation_source_readable(p_type, p_id, v_field, p_actor) then
    perform private.fail('not_found', 'Not found');
  end if;
  v_text := case p_type
    when 'message' then (select m.body from public.messages m where m.id = p_id)
    when 'inspection_note' then (select case v_field when 'notes' then i.notes when 'internal_notes' then i.internal_notes
      else i.cancel_reason end from public.inspection_applications i where i.id = p_id)
    when 'flow_note' then (select f.note from public.flows f where f.id = p_id)
    when 'item' then (select case v_field when 'name_ko' then t.name_ko when 'name_zh' then t.name_zh else t.name_en end
      from public.items t where t.id = p_id)
  end;
  if nullif(trim(coalesce(v_text, '')), '') is null then
    perform private.fail('not_found', 'There is no text to translate');
  end if;
  return jsonb_build_object('type', p_type, 'id', p_id, 'field', v_field, 'text', v_text);
end;
$$;

-- A cached translation of a text the caller holds, under the current glossary: run as the caller
-- (security invoker), so row-level security decides whether they may read it.
create or replace function public.translation_cached(p_hash text, p_source_lang text, p_target_lang text)
returns text
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_text text;
begin
  if private.app_role() is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  if p_source_lang is null or p_target_lang is null or p_source_lang not in ('ko', 'zh', 'en') or p_target_lang not in ('ko', 'zh', 'en') then
    perform private.fail('validation_failed', 'Choose ko, zh or en',
      jsonb_build_array(jsonb_build_object('path', 'target', 'message', 'Choose ko, zh or en')));
  end if;
  select t.translated into v_text from public.translations t
  where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang
    and t.glossary_version = private.glossary_version();
  return v_text;
end;
$$;

-- The caller's "translate incoming messages into my language" switch (default: on for Chinese
-- staff, who read Korean customers and colleagues all day; off for everyone else).
create or replace function public.translation_settings_get(p_actor uuid default null)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_role text := private.actor_role(p_actor);
  v_auto boolean;
begin
  if v_actor is null or v_role is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select p.auto_translate into v_auto from public.translation_preferences p where p.user_id = v_actor;
  return jsonb_build_object('auto_translate', coalesce(v_auto, v_role = 'chinese_staff'));
end;
$$;

create or replace function public.translation_settings_set(p_auto_translate boolean, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, variadic private.roles_for('profile:update'));
begin
  if p_auto_translate is null then
    perform private.fail_field('auto_translate', 'Required');
  end if;
  insert into public.translation_preferences (user_id, auto_translate) values (v_actor, p_auto_translate)
  on conflict (user_id) do update set auto_translate = excluded.auto_translate;
  return jsonb_build_object('auto_translate', p_auto_translate);
end;
$$;

-- The glossary, for staff (the admin page, and the item form's hints).
create or replace function public.glossary_list(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, variadic private.roles_for('records:read'));
  return jsonb_build_object(
    'version', private.glossary_version(),
    'data', coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'ko', t.term_ko, 'zh', t.term_zh, 'en', t.term_en,
        'note', t.note, 'updated_at', t.updated_at) order by coalesce(t.term_en, t.term_ko, t.term_zh), t.id)
      from public.translation_terms t), '[]'::jsonb));
end;
$$;

-- Adds (p_id null) or changes a term; admins only. At least two of the three forms.
create or replace function public.glossary_save(p_id uuid, p_ko text, p_zh text, p_en text, p_note text default null,
  p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ko text := nullif(trim(coalesce(p_ko, '')), '');
  v_zh text := nullif(trim(coalesce(p_zh, '')), '');
  v_en text := nullif(trim(coalesce(p_en, '')), '');
  v_note text := nullif(trim(coalesce(p_note, '')), '');
  v_row public.translation_terms;
begin
  perform private.begin_action(p_actor, variadic private.roles_for('users:manage'));
  if (v_ko is not null)::int + (v_zh is not null)::int + (v_en is not null)::int < 2 then
    perform private.fail_field('ko', 'Give the term in at least two languages');
  end if;
  if char_length(coalesce(v_ko, '')) > 200 then perform private.fail_field('ko', 'At most 200 characters'); end if;
  if char_length(coalesce(v_zh, '')) > 200 then perform private.fail_field('zh', 'At most 200 characters'); end if;
  if char_length(coalesce(v_en, '')) > 200 then perform private.fail_field('en', 'At most 200 characters'); end if;
  if char_length(coalesce(v_note, '')) > 500 then perform private.fail_field('note', 'At most 500 characters'); end if;
  if p_id is null then
    insert into public.translation_terms (term_ko, term_zh, term_en, note) values (v_ko, v_zh, v_en, v_note) returning * into v_row;
  else
    update public.translation_terms set term_ko = v_ko, term_zh = v_zh, term_en = v_en, note = v_note
    where id = p_id returning * into v_row;
    if v_row.id is null then
      perform private.fail('not_found', 'Not found');
    end if;
  end if;
  return jsonb_build_object('id', v_row.id, 'ko', v_row.term_ko, 'zh', v_row.term_zh, 'en', v_row.term_en,
    'note', v_row.note, 'updated_at', v_row.updated_at, 'version', private.glossary_version());
end;
$$;

create or replace function public.glossary_delete(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, variadic private.roles_for('users:manage'));
  delete from public.translation_terms where id = p_id;
  if not found then
    perform private.fail('not_found', 'Not found');
  end if;
  return jsonb_build_object('id', p_id, 'version', private.glossary_version());
end;
$$;

-- Usage per day and per user and day, the last p_days days, and this month's total; admins only.
create or replace function public.translation_usage_report(p_days integer default 30, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from date;
begin
  perform private.begin_action(p_actor, variadic private.roles_for('users:manage'));
  if p_days is null or p_days < 1 or p_days > 366 then
    perform private.fail_field('days', 'Between 1 and 366');
  end if;
  v_from := private.translation_day() - (p_days - 1);
  return jsonb_build_object(
    'from', v_from,
    'month_chars', (select coalesce(sum(u.chars), 0) from public.translation_usage u
                    where u.day >= date_trunc('month', private.translation_day())::date),
    'days', coalesce((select jsonb_agg(jsonb_build_object('day', d.day, 'chars', d.chars, 'requests', d.requests, 'cached', d.cached) order by d.day desc)
      from (select u.day, sum(u.chars)::int as chars, sum(u.requests)::int as requests, sum(u.cached)::int as cached
            from public.translation_usage u where u.day >= v_from group by u.day) d), '[]'::jsonb),
    'users', coalesce((select jsonb_agg(jsonb_build_object('day', u.day, 'user_id', u.user_id, 'display_name', p.display_name,
        'email', p.email, 'chars', u.chars, 'requests', u.requests, 'cached', u.cached) order by u.day desc, u.chars desc, p.email)
      from public.translation_usage u join public.profiles p on p.id = u.user_id where u.day >= v_from), '[]'::jsonb));
end;
$$;

revoke all on function
  public.translation_source(text, uuid, text, text, uuid), public.translation_cached(text, text, text),
  public.translation_settings_get(uuid), public.translation_settings_set(boolean, uuid),
  public.glossary_list(uuid), public.glossary_save(uuid, text, text, text, text, uuid), public.glossary_delete(uuid, uuid),
  public.translation_usage_report(integer, uuid)
from public, anon;
grant execute on function
  public.translation_source(text, uuid, text, text, uuid), public.translation_cached(text, text, text),
  public.translation_settings_get(uuid), public.translation_settings_set(boolean, uuid),
  public.glossary_list(uuid), public.glossary_save(uuid, text, text, text, text, uuid), public.glossary_delete(uuid, uuid),
  public.translation_usage_report(integer, uuid)
to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- Service role only: they trust what the app did (read the source as the user, called the provider)
-- ---------------------------------------------------------------------------------------------

-- Before calling the provider: a cached translation under the current glossary (linked to this
-- source, counted as a cache hit), or, when there is none, the limits checked for p_chars more
-- characters (429 translation_limit) and the glossary to send.
create or replace function public.translation_prepare(p_actor uuid, p_hash text, p_source_lang text, p_target_lang text,
  p_chars integer, p_user_daily_limit integer, p_monthly_limit integer,
  p_source_type text default null, p_source_id uuid default null, p_field text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_version integer := private.glossary_version();
  v_day date := private.translation_day();
  v_hit public.translations;
  v_used bigint;
begin
  if v_actor is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select * into v_hit from public.translations t
  where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang and t.glossary_version = v_version;
  if v_hit.id is not null then
    if p_source_type is not null then
      insert into public.translation_sources (translation_id, source_type, source_id, field)
      values (v_hit.id, p_source_type, p_source_id, p_field) on conflict do nothing;
    end if;
    insert into public.translation_usage as u (user_id, day, cached) values (v_actor, v_day, 1)
    on conflict (user_id, day) do update set cached = u.cached + 1;
    return jsonb_build_object('cached', v_hit.translated, 'glossary_version', v_version, 'terms', '[]'::jsonb);
  end if;
  if p_user_daily_limit > 0 then
    select coalesce(sum(u.chars), 0) into v_used from public.translation_usage u where u.user_id = v_actor and u.day = v_day;
    if v_used + p_chars > p_user_daily_limit then
      perform private.fail('translation_limit', 'You have reached your daily translation limit',
        jsonb_build_object('limit', 'user_daily', 'used', v_used, 'max', p_user_daily_limit));
    end if;
  end if;
  if p_monthly_limit > 0 then
    select coalesce(sum(u.chars), 0) into v_used from public.translation_usage u where u.day >= date_trunc('month', v_day)::date;
    if v_used + p_chars > p_monthly_limit then
      perform private.fail('translation_limit', 'The monthly translation limit has been reached',
        jsonb_build_object('limit', 'monthly', 'used', v_used, 'max', p_monthly_limit));
    end if;
  end if;
  return jsonb_build_object('cached', null, 'glossary_version', v_version,
    'terms', coalesce((select jsonb_agg(jsonb_build_object('ko', t.term_ko, 'zh', t.term_zh, 'en', t.term_en) order by t.id)
      from public.translation_terms t), '[]'::jsonb));
end;
$$;

-- After the provider answered: the translation cached (under the glossary version it was made
-- with), linked to its source, and its characters counted for the actor.
create or replace function public.translation_store(p_actor uuid, p_hash text, p_source_lang text, p_target_lang text,
  p_glossary_version integer, p_translated text, p_chars integer,
  p_source_type text default null, p_source_id uuid default null, p_field text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.actor(p_actor);
  v_id uuid;
begin
  if v_actor is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  insert into public.translations (text_hash, source_lang, target_lang, glossary_version, translated, source_chars, created_by)
  values (p_hash, p_source_lang, p_target_lang, p_glossary_version, p_translated, p_chars, v_actor)
  on conflict (text_hash, source_lang, target_lang, glossary_version) do nothing
  returning id into v_id;
  if v_id is null then
    select t.id into v_id from public.translations t
    where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang and t.glossary_version = p_glossary_version;
  end if;
  if p_source_type is not null then
    insert into public.translation_sources (translation_id, source_type, source_id, field)
    values (v_id, p_source_type, p_source_id, p_field) on conflict do nothing;
  end if;
  insert into public.translation_usage as u (user_id, day, chars, requests) values (v_actor, private.translation_day(), p_chars, 1)
  on conflict (user_id, day) do update set chars = u.chars + excluded.chars, requests = u.requests + 1;
  return jsonb_build_object('id', v_id, 'text', (select t.translated from public.translations t where t.id = v_id));
end;
$$;

revoke all on function
  public.translation_prepare(uuid, text, text, text, integer, integer, integer, text, uuid, text),
  public.translation_store(uuid, text, text, text, integer, text, integer, text, uuid, text)
from public, anon, authenticated;
grant execute on function
  public.translation_prepare(uuid, text, text, text, integer, integer, integer, text, uuid, text),
  public.translation_store(uuid, text, text, text, integer, text, integer, text, uuid, text)
to service_role;

insert into private.idempotent_functions (name) values ('translation_settings_set'), ('glossary_save'), ('glossary_delete')
on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------------
-- The glossary's first terms: the company, the business lines, the warehouses, the units
-- ---------------------------------------------------------------------------------------------

insert into public.translation_terms (term_ko, term_zh, term_en, note) values
  ('두리무역', '都丽贸易', 'Duly Trading', 'the company'),
  ('검품', '验货', 'inspection', null),
  ('LCD 모니터', 'LCD显示器', 'LCD monitor', 'business line'),
  ('키보드', '键盘', 'keyboard', 'business line'),
  ('기계식 키보드', '机械键盘', 'mechanical keyboard', null),
  ('모니터 암', '显示器支架', 'monitor arm', null),
  ('울트라와이드', '带鱼屏', 'ultrawide', null),
  ('서울 창고', '首尔仓库', 'Seoul warehouse', 'KR-SEL'),
  ('이우 창고', '义乌仓库', 'Yiwu warehouse', 'CN-YIW'),
  ('선적 전 검품', '出货前验货', 'pre-shipment inspection', null),
  ('개', '个', 'EA', 'unit'),
  ('박스', '箱', 'box', 'unit');
