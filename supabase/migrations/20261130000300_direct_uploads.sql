-- Direct uploads: the bytes of an attachment go from the browser straight to storage (a Supabase
-- Storage signed upload URL, or the app's own PUT route in embedded/Postgres mode) instead of
-- through the app's request body, which Vercel caps at 4.5 MB. The app only begins an upload
-- (every check of attachment_prepare, plus the announced name, type and size) and completes it
-- (after reading the stored object back and checking its real size and content, it registers
-- the attachment exactly as attachment_register does for a multipart upload).
--
-- Access intent
--   attachment_uploads: one row per begun upload, owned by the user who began it. Nobody reads
--     or writes it directly (no grants to anon or authenticated, no policies); the functions
--     below (security definer) act on the caller's own rows only: another user's upload is
--     not_found, exactly like one that does not exist. Not audited: a row is a short-lived
--     ticket; the attachment it becomes is audited by 20261122000700's trigger.
--   attachment_upload_begin / _get / _fail / _complete: signed-in users, with the roles and
--     ownership rules of attachment_prepare (customers: documents of their own company only).
--   jobs_attachment_uploads_stale / _forget: the scheduled prune (service_role) only.
--   anon: nothing.
--
-- Lifetime
--   A row is `pending` until completed (`completed`, with the attachment's id) or refused
--   (`failed`: the content check failed and the object was removed). The bytes may be sent
--   until expires_at (30 minutes); completing is allowed for one more hour, so a large file that
--   started in time can finish. Supabase's signed upload URLs live two hours whatever we ask,
--   so after three hours no URL can write to a row's path any more: the prune job then removes
--   the object of every row whose path no attachment holds, and forgets the row.

-- ---------------------------------------------------------------------------------------------
-- attachment_uploads
-- ---------------------------------------------------------------------------------------------

create table public.attachment_uploads (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  customer_id uuid not null references public.customers (id) on delete cascade,
  inspection_id uuid references public.inspection_applications (id) on delete cascade,
  kind text not null,
  internal boolean not null default false,
  file_name text not null,
  content_type text not null,
  size_bytes bigint not null,
  storage_path text not null,
  status text not null default 'pending',
  attachment_id uuid references public.attachments (id) on delete set null,
  expires_at timestamptz not null,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint attachment_uploads_status_valid check (status in ('pending', 'completed', 'failed')),
  constraint attachment_uploads_kind_valid check (kind in ('report', 'photo', 'document')),
  constraint attachment_uploads_size_valid check (size_bytes between 1 and 20971520),
  constraint attachment_uploads_name_length check (char_length(file_name) between 1 and 255)
);
create unique index attachment_uploads_storage_path_key on public.attachment_uploads (storage_path);
create index attachment_uploads_user_idx on public.attachment_uploads (user_id);
create index attachment_uploads_created_idx on public.attachment_uploads (created_at);
create index attachment_uploads_customer_idx on public.attachment_uploads (customer_id);
create index attachment_uploads_inspection_idx on public.attachment_uploads (inspection_id);
create index attachment_uploads_attachment_idx on public.attachment_uploads (attachment_id);
create trigger attachment_uploads_touch before update on public.attachment_uploads
  for each row execute function private.touch_updated_at();

alter table public.attachment_uploads enable row level security;
revoke all on public.attachment_uploads from anon, authenticated;
grant all on public.attachment_uploads to service_role;
-- No policies for authenticated: only the security definer functions below touch the table.

-- An upload as the server needs it (the storage path included: the API never returns it).
create or replace function private.attachment_upload_json(p_row public.attachment_uploads)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_row.id,
    'user_id', p_row.user_id,
    'customer_id', p_row.customer_id,
    'inspection_id', p_row.inspection_id,
    'kind', p_row.kind,
    'internal', p_row.internal,
    'file_name', p_row.file_name,
    'content_type', p_row.content_type,
    'size_bytes', p_row.size_bytes,
    'storage_path', p_row.storage_path,
    'status', p_row.status,
    'expires_at', p_row.expires_at)
$$;
revoke all on function private.attachment_upload_json(public.attachment_uploads) from public;
grant execute on function private.attachment_upload_json(public.attachment_uploads) to authenticated, service_role;

-- The caller's own upload, locked when asked; another user's (or none) is not_found.
create or replace function private.own_attachment_upload(p_id uuid, p_actor uuid, p_lock boolean)
returns public.attachment_uploads
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_row public.attachment_uploads;
begin
  if p_lock then
    select * into v_row from public.attachment_uploads u where u.id = p_id and u.user_id = v_actor for update;
  else
    select * into v_row from public.attachment_uploads u where u.id = p_id and u.user_id = v_actor;
  end if;
  if not found then
    perform private.fail('not_found', 'Upload not found');
  end if;
  return v_row;
end;
$$;
revoke all on function private.own_attachment_upload(uuid, uuid, boolean) from public;
grant execute on function private.own_attachment_upload(uuid, uuid, boolean) to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- attachment_upload_begin: every check of a multipart upload that can be made before the bytes
-- exist (role, record ownership, kind, name, type, size); a pending row and a fresh path
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_upload_begin(
  p_kind text,
  p_file_name text,
  p_content_type text,
  p_size_bytes bigint,
  p_customer_id uuid default null,
  p_inspection_id uuid default null,
  p_internal boolean default false,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff', 'customer');
  v_customer uuid := private.attachment_target(p_actor, p_customer_id, p_inspection_id, p_kind, p_internal);
  v_name text := trim(p_file_name);
  v_row public.attachment_uploads;
begin
  -- The same field rules as attachment_register, so nothing is begun that could not be registered.
  if v_name is null or char_length(v_name) not between 1 and 255 or v_name ~ '[[:cntrl:]/\\]' then
    perform private.fail_field('file_name', 'A file name of 1 to 255 characters, without / or \');
  end if;
  if p_content_type is null or p_content_type not in ('application/pdf', 'image/jpeg', 'image/png', 'image/webp',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') then
    perform private.fail_field('file', 'Only PDF, JPEG, PNG, WebP and XLSX files are accepted');
  end if;
  if p_size_bytes is null or p_size_bytes not between 1 and 20971520 then
    perform private.fail_field('file', 'Files must be between 1 byte and 20 MB');
  end if;
  insert into public.attachment_uploads (user_id, customer_id, inspection_id, kind, internal, file_name, content_type,
    size_bytes, storage_path, expires_at)
  values (v_actor, v_customer, p_inspection_id, p_kind, coalesce(p_internal, false), v_name, p_content_type,
    p_size_bytes, v_customer::text || '/' || gen_random_uuid()::text, now() + interval '30 minutes')
  returning * into v_row;
  return private.attachment_upload_json(v_row);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_upload_get: the caller's own upload (the PUT route and complete read it first)
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_upload_get(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.attachment_upload_json(private.own_attachment_upload(p_id, p_actor, false));
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_upload_fail: the stored object was refused (and removed); the upload is over
-- ---------------------------------------------------------------------------------------------

create or replace function public.attachment_upload_fail(p_id uuid, p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.attachment_uploads := private.own_attachment_upload(p_id, p_actor, true);
begin
  if v_row.status = 'pending' then
    update public.attachment_uploads u set status = 'failed' where u.id = p_id returning * into v_row;
  end if;
  return private.attachment_upload_json(v_row);
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- attachment_upload_complete: registers the attachment of a pending upload, once
-- ---------------------------------------------------------------------------------------------
-- The server has read the stored object back and checked it; the size and type it found must be
-- the ones announced. attachment_register then runs every check of a multipart upload again
-- (the record may have gone, the user may have lost their role) and writes the row as the user.

create or replace function public.attachment_upload_complete(
  p_id uuid,
  p_size_bytes bigint,
  p_content_type text,
  p_sha256 text,
  p_actor uuid default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.attachment_uploads := private.own_attachment_upload(p_id, p_actor, true);
  v jsonb;
begin
  if v_row.status = 'completed' then
    perform private.fail('conflict', 'This upload is already complete');
  end if;
  if v_row.status = 'failed' then
    perform private.fail('conflict', 'This upload was refused; start a new one');
  end if;
  if v_row.expires_at + interval '1 hour' < now() then
    perform private.fail('invalid_state', 'This upload has expired; start a new one');
  end if;
  if p_size_bytes is distinct from v_row.size_bytes then
    perform private.fail_field('file', 'The stored file is not the size that was announced');
  end if;
  if p_content_type is distinct from v_row.content_type then
    perform private.fail_field('file', 'The stored file is not the type that was announced');
  end if;
  v := public.attachment_register(v_row.storage_path, v_row.file_name, v_row.content_type, v_row.size_bytes, p_sha256,
    v_row.kind, v_row.customer_id, v_row.inspection_id, v_row.internal, p_actor);
  update public.attachment_uploads u
  set status = 'completed', attachment_id = (v ->> 'id')::uuid, completed_at = now()
  where u.id = p_id;
  return v;
end;
$$;

revoke all on function
  public.attachment_upload_begin(text, text, text, bigint, uuid, uuid, boolean, uuid),
  public.attachment_upload_get(uuid, uuid),
  public.attachment_upload_fail(uuid, uuid),
  public.attachment_upload_complete(uuid, bigint, text, text, uuid)
from public, anon;
grant execute on function
  public.attachment_upload_begin(text, text, text, bigint, uuid, uuid, boolean, uuid),
  public.attachment_upload_get(uuid, uuid),
  public.attachment_upload_fail(uuid, uuid),
  public.attachment_upload_complete(uuid, bigint, text, text, uuid)
to authenticated, service_role;

-- Write requests with an Idempotency-Key run these through rpc_idempotent.
insert into private.idempotent_functions (name) values ('attachment_upload_begin'), ('attachment_upload_complete')
on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------------
-- Prune (service_role only): uploads older than three hours, when no URL can write any more
-- ---------------------------------------------------------------------------------------------
-- The job asks for the stale rows, removes the object of each one no attachment holds (never
-- completed, refused, or its attachment deleted since), then forgets the rows it has dealt with.
-- Two steps because the objects live outside the database; a row whose object could not be
-- removed stays for the next run.

create or replace function public.jobs_attachment_uploads_stale(p_limit int default 500)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'storage_path', s.storage_path, 'orphan', s.orphan) order by s.created_at), '[]'::jsonb)
  from (
    select u.id, u.storage_path, u.created_at,
      not exists (select 1 from public.attachments a where a.storage_path = u.storage_path) as orphan
    from public.attachment_uploads u
    where u.created_at < now() - interval '3 hours'
    order by u.created_at
    limit greatest(1, least(coalesce(p_limit, 500), 5000))
  ) s
$$;

create or replace function public.jobs_attachment_uploads_forget(p_ids jsonb)
returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count int;
begin
  delete from public.attachment_uploads u
  where u.id in (select (x #>> '{}')::uuid from jsonb_array_elements(coalesce(p_ids, '[]'::jsonb)) x)
    and u.created_at < now() - interval '3 hours';
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

revoke all on function public.jobs_attachment_uploads_stale(int), public.jobs_attachment_uploads_forget(jsonb)
from public, anon, authenticated;
grant execute on function public.jobs_attachment_uploads_stale(int), public.jobs_attachment_uploads_forget(jsonb)
to service_role;
