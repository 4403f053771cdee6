-- Email delivery: a claim is re-checked and its lease renewed right before each send.
--
-- jobs_email_claim leases a whole batch (up to 20 rows) at once for 5 minutes, and the deliverer
-- sends them one after another. With a slow SMTP server (each send may take up to its 30 s
-- timeouts) the rows at the end of a batch could outlive their lease while still waiting their
-- turn; the next run then claimed and sent them, and the first deliverer sent them again when it
-- got there. jobs_email_begin closes that: the deliverer calls it for each row just before
-- handing it to SMTP; it answers false when the claim is no longer this deliverer's (taken by
-- another run after the lease ran out), and otherwise renews the lease from now, so the lease
-- covers the send itself whatever happened earlier in the batch.
--
-- Access: service_role only, like the other jobs_email_* functions (cron job: email delivery).

create or replace function public.jobs_email_begin(p_id uuid, p_claim_token uuid, p_lease_seconds int default 300)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  update public.email_outbox
  set claimed_until = now() + make_interval(secs => greatest(coalesce(p_lease_seconds, 300), 30))
  where id = p_id and claim_token = p_claim_token and status = 'sending' and claimed_until > now()
  returning id into v_id;
  return v_id is not null;
end;
$$;

revoke all on function public.jobs_email_begin(uuid, uuid, int) from public, anon, authenticated;
grant execute on function public.jobs_email_begin(uuid, uuid, int) to service_role;
