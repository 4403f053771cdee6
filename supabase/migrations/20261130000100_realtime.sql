-- Realtime for messages: read marks are announced too (unread counts update live), and on Supabase
-- the messages table is published to Realtime.
--
-- Notices carry ids only, never a body: whoever receives one reads through their own session,
-- so RLS decides what anyone sees (lib/realtime/message-hub.ts).

-- ---------------------------------------------------------------------------------------------
-- Read marks: one notice per thread marked, on the channel new messages use
-- ---------------------------------------------------------------------------------------------

-- messages_mark_read updates every unread row of a thread in one statement; the payload is the same
-- for all of them, and Postgres delivers identical payloads of one transaction once.
create or replace function private.notify_message_read()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_notify('duly_messages', json_build_object('kind', 'read', 'inspection_id', new.inspection_id,
    'customer_id', new.customer_id)::text);
  return null;
end;
$$;
revoke all on function private.notify_message_read() from public;

create trigger messages_notify_read
  after update of read_by_customer_at, read_by_staff_at on public.messages
  for each row
  when (old.read_by_customer_at is distinct from new.read_by_customer_at
        or old.read_by_staff_at is distinct from new.read_by_staff_at)
  execute function private.notify_message_read();

-- ---------------------------------------------------------------------------------------------
-- Supabase Realtime: the server subscribes to changes of public.messages (service role, one
-- channel per server process). Only Supabase has the publication; PGlite and plain Postgres use
-- LISTEN/NOTIFY above instead, so there this block does nothing.
-- ---------------------------------------------------------------------------------------------

do $$
begin
  if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime')
     and not exists (select 1 from pg_catalog.pg_publication_tables
                     where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'messages') then
    alter publication supabase_realtime add table public.messages;
  end if;
end;
$$;
