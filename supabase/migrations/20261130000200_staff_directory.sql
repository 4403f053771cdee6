-- The staff directory: who works here, for every staff role (the inspector picker, and any other
-- place staff choose a colleague). users_list (20261122000500) is admin-only and carries emails,
-- sign-in data and customers' users; this is the least a colleague needs: id, name and role.
--
-- Access intent
--   staff_directory: every active staff role (admin, manager, korean_team, chinese_staff).
--     Customers are refused (forbidden: they see staff names only where staff act on their own
--     records); anon has no EXECUTE. Returns active staff only: no email, no customer's user,
--     nothing about sign-ins.
--   Security definer: it reads profiles whatever the caller's RLS allows, and chooses the
--   columns and rows itself; begin_action re-checks the actor's role (under the service role
--   too, where the server passes p_actor).

create or replace function public.staff_directory(p_actor uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.begin_action(p_actor, 'admin', 'manager', 'korean_team', 'chinese_staff');
  return coalesce((
    select jsonb_agg(jsonb_build_object('id', p.id, 'display_name', p.display_name, 'role', p.role)
      order by lower(p.display_name), p.id)
    from public.profiles p
    where p.active and p.customer_id is null and private.is_staff_role(p.role)), '[]'::jsonb);
end;
$$;

revoke all on function public.staff_directory(uuid) from public, anon;
grant execute on function public.staff_directory(uuid) to authenticated, service_role;
