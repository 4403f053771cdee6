-- A CSV field that starts with =, +, -, @, a tab or a carriage return is read by Excel as a
-- formula, even quoted. The ledger's CSV lines written here (PGlite and Supabase; on Postgres
-- COPY's query does the same, lib/data/exports.ts) give such a text a leading apostrophe, as the
-- files written in Node do (lib/export/values.ts csvSafeText). Numbers are written elsewhere, so
-- a negative quantity keeps its minus.
CREATE OR REPLACE FUNCTION private.csv_text(p text)
 RETURNS text
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$
  select case when v is null then '' when v ~ '[",\r\n]' then '"' || pg_catalog.replace(v, '"', '""') || '"' else v end
  from (select case when pg_catalog.left(p, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || p else p end as v) s
$function$;
