#!/usr/bin/env bash
# scripts/smoke.sh <base-url> — the post-deploy smoke check: the process is up, the database is
# reachable and migrated, the version answers, and sign-in is guarded. Exits 1 on the first
# failure, printing what answered. Used after every deploy and by .ci/run against the local build.
set -euo pipefail

base="${1:-}"
if [[ -z "$base" ]]; then
  echo "usage: scripts/smoke.sh <base-url>   (e.g. https://duly-erp.vercel.app or http://127.0.0.1:3000)" >&2
  exit 2
fi
base="${base%/}"

# A preview behind Vercel's Deployment Protection answers 401 to everyone; its "Protection Bypass
# for Automation" secret, when set, lets the check through to the app.
headers=()
if [[ -n "${VERCEL_AUTOMATION_BYPASS_SECRET:-}" ]]; then
  headers=(-H "x-vercel-protection-bypass: ${VERCEL_AUTOMATION_BYPASS_SECRET}")
fi

failed=0
check() {
  local path="$1" expected="$2" status
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 ${headers[@]+"${headers[@]}"} "${base}${path}" || true)"
  if [[ "$status" == "$expected" ]]; then
    printf 'ok    %s %s\n' "$status" "$path"
  else
    printf 'FAIL  %s %s (expected %s)\n' "${status:-none}" "$path" "$expected"
    failed=1
  fi
}

check /health/live 200
check /health/ready 200
check /api/v1/version 200
# A GET of the login endpoint without credentials must be refused, never served.
check /api/v1/auth/login 401

if [[ "$failed" != 0 ]]; then
  echo "smoke check failed for ${base}" >&2
  exit 1
fi
echo "smoke check passed for ${base}"
