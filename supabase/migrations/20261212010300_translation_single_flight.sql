-- Machine translation, single-flight (docs/security.md#translation-privacy): two requests that
-- miss the cache for the same text at the same moment call the provider once, not twice.
--
-- Access intent:
--   translation_leases: the server only (service_role); no user reads or writes it (RLS on, no
--     policies, no grants to anon or authenticated). It holds text hashes and who holds a lease.
--   translation_prepare, translation_store, translation_release: service_role only, as before.
--
-- Why: a miss used to check the limits and return; the app then called the provider and stored
-- the answer. Two users opening the same message at once (auto-translate shows a thread to
-- everyone who reads it) both missed and both paid. Now the first miss takes a lease on the
-- cache key (text hash, languages, glossary version) in prepare's own short transaction and
-- calls the provider; a second miss finds the lease live and is told to wait: it asks prepare
-- again a little later and gets the cached answer as a cache hit (linked to its source, counted
-- as cached, no characters), as any later reader would. No transaction stays open across the
-- HTTP call. The lease ends when the holder stores its answer or gives up (release), and in any
-- case at leased_until: a holder that died is taken over by the next caller, who then calls the
-- provider itself. The app sets the lease to outlast one provider call with its retries.

-- =============================================================================================
-- translation_leases: who is translating a cache key right now
-- =============================================================================================

create table public.translation_leases (
  text_hash text not null,
  source_lang text not null,
  target_lang text not null,
  glossary_version integer not null,
  holder uuid not null,
  leased_until timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (text_hash, source_lang, target_lang, glossary_version)
);
-- The release and the store find a lease by its holder.
create index translation_leases_holder_idx on public.translation_leases (holder);
create trigger translation_leases_touch before update on public.translation_leases for each row execute function private.touch_updated_at();

alter table public.translation_leases enable row level security;
revoke all on public.translation_leases from public, anon, authenticated;
grant all on public.translation_leases to service_role;

-- =============================================================================================
-- translation_prepare: a cached translation, or a lease to call the provider, or "wait"
-- =============================================================================================

drop function public.translation_prepare(uuid, text, text, text, integer, integer, integer, text, uuid, text);

-- Before calling the provider: a cached translation under the current glossary (linked to this
-- source, counted as a cache hit); else, when another caller holds a live lease on the key,
-- wait = true (nothing counted, no limit checked: the caller asks again and will most likely be
-- served from the cache); else a new lease for p_lease_seconds (1 to 600) once the limits are
-- checked for p_chars more characters (429 translation_limit, and no lease), with the glossary
-- to send.
create function public.translation_prepare(p_actor uuid, p_hash text, p_source_lang text, p_target_lang text,
  p_chars integer, p_user_daily_limit integer, p_monthly_limit integer,
  p_source_type text default null, p_source_id uuid default null, p_field text default null,
  p_lease_seconds integer default 60)
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
  v_lease uuid;
begin
  if v_actor is null then
    perform private.fail('unauthorized', 'Sign in first');
  end if;
  select * into v_hit from public.translations t
  where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang and t.glossary_version = v_version;
  if v_hit.id is null then
    -- A concurrent prepare of the same key waits here on the key's row until the first commits,
    -- then sees its live lease and is told to wait.
    insert into public.translation_leases as l (text_hash, source_lang, target_lang, glossary_version, holder, leased_until)
    values (p_hash, p_source_lang, p_target_lang, v_version, gen_random_uuid(),
            now() + make_interval(secs => least(greatest(coalesce(p_lease_seconds, 60), 1), 600)))
    on conflict (text_hash, source_lang, target_lang, glossary_version) do update
      set holder = excluded.holder, leased_until = excluded.leased_until
      where l.leased_until <= now()
    returning l.holder into v_lease;
    if v_lease is null then
      return jsonb_build_object('cached', null, 'wait', true, 'lease', null, 'glossary_version', v_version, 'terms', '[]'::jsonb);
    end if;
    -- The holder before us may have stored its answer and released between our two looks (this
    -- statement sees what committed since the first).
    select * into v_hit from public.translations t
    where t.text_hash = p_hash and t.source_lang = p_source_lang and t.target_lang = p_target_lang and t.glossary_version = v_version;
    if v_hit.id is not null then
      delete from public.translation_leases where holder = v_lease;
    end if;
  end if;
  if v_hit.id is not null then
    if p_source_type is not null then
      insert into public.translation_sources (translation_id, source_type, source_id, field)
      values (v_hit.id, p_source_type, p_source_id, p_field) on conflict do nothing;
    end if;
    insert into public.translation_usage as u (user_id, day, cached) values (v_actor, v_day, 1)
    on conflict (user_id, day) do update set cached = u.cached + 1;
    return jsonb_build_object('cached', v_hit.translated, 'wait', false, 'lease', null, 'glossary_version', v_version, 'terms', '[]'::jsonb);
  end if;
  -- A refusal below undoes the lease with the rest of this transaction.
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
  return jsonb_build_object('cached', null, 'wait', false, 'lease', v_lease, 'glossary_version', v_version,
    'terms', coalesce((select jsonb_agg(jsonb_build_object('ko', t.term_ko, 'zh', t.term_zh, 'en', t.term_en) order by t.id)
      from public.translation_terms t), '[]'::jsonb));
end;
$$;

-- =============================================================================================
-- translation_store: as before, and the holder's lease ends
-- =============================================================================================

drop function public.translation_store(uuid, text, text, text, integer, text, integer, text, uuid, text);

-- After the provider answered: the translation cached (under the glossary version it was made
-- with), linked to its source, its characters counted for the actor, and the lease p_lease (if
-- given) ended, so that those waiting find the answer at their next look.
create function public.translation_store(p_actor uuid, p_hash text, p_source_lang text, p_target_lang text,
  p_glossary_version integer, p_translated text, p_chars integer,
  p_source_type text default null, p_source_id uuid default null, p_field text default null,
  p_lease uuid default null)
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
  -- This lease ends; so do any a holder that died left more than an hour ago (the table stays a
  -- handful of rows without a job of its own).
  delete from public.translation_leases
  where (p_lease is not null and holder = p_lease) or leased_until < now() - interval '1 hour';
  return jsonb_build_object('id', v_id, 'text', (select t.translated from public.translations t where t.id = v_id));
end;
$$;

-- =============================================================================================
-- translation_release: the holder gave up (the provider failed); the next caller may try at once
-- =============================================================================================

create function public.translation_release(p_lease uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.translation_leases where holder = p_lease;
  get diagnostics v_count = row_count;
  return v_count > 0;
end;
$$;

-- =============================================================================================
-- Grants: the server's service role only
-- =============================================================================================

revoke all on function
  public.translation_prepare(uuid, text, text, text, integer, integer, integer, text, uuid, text, integer),
  public.translation_store(uuid, text, text, text, integer, text, integer, text, uuid, text, uuid),
  public.translation_release(uuid)
from public, anon, authenticated;
grant execute on function
  public.translation_prepare(uuid, text, text, text, integer, integer, integer, text, uuid, text, integer),
  public.translation_store(uuid, text, text, text, integer, text, integer, text, uuid, text, uuid),
  public.translation_release(uuid)
to service_role;
