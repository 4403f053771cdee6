-- Every domain call starts with private.begin_action_for(actor, action): it turns the action into
-- the roles allowed it (private.roles_for), then checks the caller's session and role. Two parts
-- of that cost more than the checks themselves:
--   - private.roles_for was a LANGUAGE sql function with its own search_path, which Postgres
--     never inlines and plans again on every call. As PL/pgSQL its CASE is a simple expression,
--     evaluated without a query plan.
--   - the roles of the actions were merged by a query (unnest, array_agg(distinct)) even for the
--     one action most callers pass. One action now takes its roles directly; an
--     unknown action still gets no roles (coalesce), so it is refused as before.
-- Same answers, same checks: tests/contract/role-helpers.contract.ts and every function's
-- who-may-call-it tests.

CREATE OR REPLACE FUNCTION private.roles_for(p_action text)
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
begin
  return case p_action
    when 'profile:read' then array['admin', 'manager', 'korean_team', 'chinese_staff', 'customer']
    when 'profile:update' then array['admin', 'manager', 'korean_team', 'chinese_staff', 'customer']
    when 'staff:access' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'portal:access' then array['customer']
    when 'users:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'users:manage' then array['admin']
    when 'audit:read' then array['admin']
    when 'customers:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'customers:write' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'customers:delete' then array['admin', 'manager', 'korean_team']
    when 'records:read' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'records:write' then array['admin', 'manager', 'korean_team', 'chinese_staff']
    when 'records:delete' then array['admin', 'manager', 'korean_team']
    when 'flows:approve' then array['admin', 'manager']
    when 'flows:commit' then array['admin', 'manager']
    when 'own-records:read' then array['customer']
    when 'own-records:write' then array['customer']
  end;
end;
$function$;

CREATE OR REPLACE FUNCTION private.begin_action_for(p_actor uuid, VARIADIC p_actions text[])
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_roles text[];
begin
  if cardinality(p_actions) = 1 then
    return private.begin_action(p_actor, variadic coalesce(private.roles_for(p_actions[1]), '{}'));
  end if;
  select coalesce(array_agg(distinct r), '{}') into v_roles
  from unnest(p_actions) a, unnest(private.roles_for(a)) r;
  return private.begin_action(p_actor, variadic v_roles);
end;
$function$;
