-- A committed flow keeps its kind, customer and status.
--
-- A committed flow's lines are its ledger rows (20261219000100), read through
-- private.flow_lines_of by its kind and status, and the goods of a committed shipment are kept in
-- public.customer_shipped_items for its customer (20261224000100). No function changes those
-- three columns once a flow is committed; this trigger makes sure nothing else does either, the
-- service role and the owner included, as the ledger's own trigger does for the ledger. Other
-- columns may still change (a deleted user's name on the flow becomes null through its foreign key).
create function private.refuse_committed_flow_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'forbidden',
    detail = 'A committed flow keeps its kind, customer and status';
end;
$$;
revoke all on function private.refuse_committed_flow_change() from public;

create trigger flows_committed_fixed before update on public.flows
  for each row
  when (old.status = 'committed' and (new.status is distinct from old.status or new.kind is distinct from old.kind
                                      or new.customer_id is distinct from old.customer_id))
  execute function private.refuse_committed_flow_change();
