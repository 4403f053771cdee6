-- Flows and their lines get time-ordered ids (the UUID version 7 layout of RFC 9562: the first
-- 48 bits are the creation time in milliseconds, the other 74 random), instead of random ones.
--
-- Why: the line table's three unique indexes are keyed by a flow or line id, (id),
-- (flow_id, line_no) and (flow_id, item_id), and the ledger's (flow_id) index by the flow. With
-- random ids every new flow writes into a random leaf of each of them, so each stays about half
-- full for good (a split leaves half a page behind wherever it lands) and, once the indexes
-- outgrow memory, every commit reads and dirties pages no other commit needs. With
-- time-ordered ids a new flow's entries go to the right-hand end, where the previous flow's
-- are: the hot pages stay few, and the leaves fill up (Postgres packs right-most splits to 90%).
--
-- The ids stay unguessable (74 random bits) and keep the uuid type, so nothing that reads or
-- validates them changes. They reveal the creation time to the millisecond, which every reader
-- of a flow already sees in its created_at. Rows that exist keep their ids. Other tables keep
-- random ids: few rows each, or an integer key already (the ledger, the audit log).

create or replace function private.uuid_v7(p_at timestamptz default clock_timestamp())
returns uuid
language plpgsql
volatile
parallel safe
set search_path = ''
as $$
begin
  -- A random (version 4) uuid with its first 6 bytes replaced by the Unix time in milliseconds,
  -- big-endian, and its version nibble turned from 4 (0100) into 7 (0111) by setting bits 4 and
  -- 5 of byte 6. The variant bits (10) are the random uuid's own. PL/pgSQL, not SQL: a SQL
  -- function with its own search_path is never inlined and is planned again on every call.
  return encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send(floor(extract(epoch from p_at) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1),
    'hex')::uuid;
end;
$$;
revoke all on function private.uuid_v7(timestamptz) from public;
-- A column default runs with the inserting role's rights: the owner inside the security definer
-- functions, the service role for maintenance scripts. No one else inserts flows or lines.
grant execute on function private.uuid_v7(timestamptz) to service_role;

alter table public.flows alter column id set default private.uuid_v7();
alter table public.flow_lines alter column id set default private.uuid_v7();
