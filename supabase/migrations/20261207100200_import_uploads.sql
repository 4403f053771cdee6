-- Direct uploads of import files, recorded so that those never imported are removed (issue 13).
--
-- POST /api/v1/imports/uploads signs a path in the user's own storage folder; the file is PUT
-- there, and POST /api/v1/imports reads it back once and removes it. A file that was uploaded
-- and then never imported (the page closed, the import refused before it was read, the user
-- changed their mind) stayed in storage for ever. Now each signed upload is a row here until it
-- is taken, and the daily prune job (GET /api/cron/idempotency-prune, lib/jobs/retention.ts)
-- removes the object of every upload past its retention and forgets the row.
--
-- Access intent
--   import_uploads: nobody reads or writes it directly (no grants to anon or authenticated, no
--   policies): its rows record what the server signed and are touched only by the functions
--   below, which execute as service_role only (the app passes the actor; DESIGN §3).
--
-- Retention
--   The upload token lives 30 minutes (expires_at); Supabase's signed upload URLs live two hours
--   whatever is asked. The app lists as stale the uploads whose expires_at is older than the
--   cutoff it passes (its clock less 2 h 30 min: three hours after the upload began), when no URL
--   can write to the path any more, and removes their objects before forgetting them.

-- ---------------------------------------------------------------------------------------------
-- import_uploads
-- ---------------------------------------------------------------------------------------------

create table public.import_uploads (
  id uuid primary key,
  user_id uuid not null references public.profiles (id) on delete cascade,
  storage_path text not null,
  file_name text not null,
  size_bytes bigint not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint import_uploads_size_valid check (size_bytes between 0 and 20971520),
  constraint import_uploads_name_length check (char_length(file_name) between 1 and 255),
  constraint import_uploads_path_length check (char_length(storage_path) between 1 and 300)
);
create unique index import_uploads_storage_path_key on public.import_uploads (storage_path);
create index import_uploads_user_idx on public.import_uploads (user_id);
create index import_uploads_expires_idx on public.import_uploads (expires_at);
create trigger import_uploads_touch before update on public.import_uploads
  for each row execute function private.touch_updated_at();

alter table public.import_uploads enable row level security;
revoke all on public.import_uploads from anon, authenticated;
grant all on public.import_uploads to service_role;
-- No policies for authenticated: only the security definer functions below touch the table.

-- ---------------------------------------------------------------------------------------------
-- import_upload_begin (service_role): the upload the server just signed for the actor, who must
-- be staff allowed to import something.
-- ---------------------------------------------------------------------------------------------

create or replace function public.import_upload_begin(
  p_id uuid,
  p_storage_path text,
  p_file_name text,
  p_size bigint,
  p_expires_at timestamptz,
  p_actor uuid default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
begin
  if p_id is null or p_storage_path is null or p_expires_at is null then
    perform private.fail('bad_request', 'An upload needs its id, path and expiry');
  end if;
  insert into public.import_uploads (id, user_id, storage_path, file_name, size_bytes, expires_at)
  values (p_id, v_actor, p_storage_path, left(coalesce(nullif(p_file_name, ''), 'import'), 255), coalesce(p_size, 0), p_expires_at);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- import_upload_taken (service_role): the actor's upload was read back for an import (and its
-- object removed): nothing is left to prune. Answers whether a row was forgotten.
-- ---------------------------------------------------------------------------------------------

create or replace function public.import_upload_taken(p_id uuid, p_actor uuid default null)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  v_count int;
begin
  delete from public.import_uploads u where u.id = p_id and u.user_id = v_actor;
  get diagnostics v_count = row_count;
  return v_count > 0;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- jobs_import_uploads_stale / _forget (service_role): the prune job. The cutoff is the app's
-- (its clock less the retention), so the job is tested with the app's clock moved on.
-- ---------------------------------------------------------------------------------------------

create or replace function public.jobs_import_uploads_stale(p_before timestamptz, p_limit int default 500)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'storage_path', s.storage_path) order by s.expires_at), '[]'::jsonb)
  from (
    select u.id, u.storage_path, u.expires_at
    from public.import_uploads u
    where u.expires_at < p_before
    order by u.expires_at
    limit greatest(1, least(coalesce(p_limit, 500), 5000))
  ) s
$$;

create or replace function public.jobs_import_uploads_forget(p_ids jsonb, p_before timestamptz)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.import_uploads u
  where u.id in (select (x #>> '{}')::uuid from jsonb_array_elements(coalesce(p_ids, '[]'::jsonb)) x)
    and u.expires_at < p_before;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

revoke all on function public.import_upload_begin(uuid, text, text, bigint, timestamptz, uuid),
  public.import_upload_taken(uuid, uuid),
  public.jobs_import_uploads_stale(timestamptz, int),
  public.jobs_import_uploads_forget(jsonb, timestamptz)
from public, anon, authenticated;
grant execute on function public.import_upload_begin(uuid, text, text, bigint, timestamptz, uuid),
  public.import_upload_taken(uuid, uuid),
  public.jobs_import_uploads_stale(timestamptz, int),
  public.jobs_import_uploads_forget(jsonb, timestamptz)
to service_role;
