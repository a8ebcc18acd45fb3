#!/usr/bin/env bash
# ensure-postgres.sh: make sure the PostgreSQL server binaries (initdb, pg_ctl,
# postgres) are installed, installing them from the OS packages when missing.
# bigmath runs its own private cluster with them when DATABASE_URL is unset.
set -euo pipefail

have_pg() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then return 0; fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && return 0
  done
  return 1
}

if [ -n "${DATABASE_URL:-}" ] && [ "${1:-}" != "--always" ]; then
  exit 0 # an existing server is configured; nothing to install
fi
if have_pg; then exit 0; fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
fi
echo "ensure-postgres: PostgreSQL server binaries not found; installing them from the OS packages" >&2
if command -v apt-get >/dev/null 2>&1; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
elif command -v dnf >/dev/null 2>&1; then
  $sudo dnf install -y postgresql-server
elif command -v apk >/dev/null 2>&1; then
  $sudo apk add --no-cache postgresql
elif command -v brew >/dev/null 2>&1; then
  brew install postgresql
else
  echo "ensure-postgres: no known package manager: install the PostgreSQL server (initdb, pg_ctl, postgres) or set DATABASE_URL" >&2
  exit 1
fi
have_pg || { echo "ensure-postgres: installed, but initdb/pg_ctl still not found" >&2; exit 1; }
