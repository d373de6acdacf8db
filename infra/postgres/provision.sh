#!/usr/bin/env bash
# Provisions PostgreSQL for the platform with least privilege, idempotently:
#   g2g_owner  owns the database and schema; runs migrations (DDL).
#   g2g_app    what the apps connect as: reads and writes rows, no DDL, and no UPDATE/DELETE/TRUNCATE
#              on append-only tables (audit log and, later, draw results and the fee ledger).
# Then migrates as g2g_owner and grants g2g_app.
#
# Env: PG_ADMIN_URL (a superuser connection, default postgres://postgres@127.0.0.1:5432/postgres),
#      G2G_DB (default g2g), G2G_OWNER_PASSWORD, G2G_APP_PASSWORD (set them in production; with
#      trust or peer authentication, as on a developer machine, they may stay empty).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
admin_url="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="${G2G_DB:-g2g}"

psql "$admin_url" -v ON_ERROR_STOP=1 -q \
  -v db="$db" \
  -v owner_password="${G2G_OWNER_PASSWORD:-}" \
  -v app_password="${G2G_APP_PASSWORD:-}" \
  -f "$here/roles.sql"

db_url() { # user -> URL of the platform database as that user
  node -e 'const u = new URL(process.argv[1]); u.username = process.argv[2]; u.password = process.argv[3]; u.pathname = "/" + process.argv[4]; console.log(u.toString())' \
    "$admin_url" "$1" "$2" "$db"
}
psql "$(db_url postgres "")" -v ON_ERROR_STOP=1 -q -c "alter schema public owner to g2g_owner"

cd "$root"
DATABASE_URL="$(db_url g2g_owner "${G2G_OWNER_PASSWORD:-}")" DB_APP_ROLE=g2g_app pnpm --silent db:migrate
echo "provisioned: database $db; apps connect as $(db_url g2g_app '***')"
