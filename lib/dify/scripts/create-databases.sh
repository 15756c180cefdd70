#!/bin/sh
# Waits for the PostgreSQL primary, then makes sure each database named in $DATABASES is there for its user: creates
# each one that does not exist yet, or, with CREATE_DATABASES=false (a user without CREATEDB), creates none and fails
# naming every one that is missing; then checks that the user can connect to each and create tables in its schema,
# and enables each extension of $EXTENSIONS (`database:extension` pairs) in its database.
# Safe to run any number of times, and by two Jobs at once; fails loudly on anything but "it exists".
# Environment: PGHOST, PGPORT, PGUSER, PGPASSWORD (libpq), DATABASES (space-separated), EXTENSIONS (optional,
# space-separated), CREATE_DATABASES (true or false; default true), DATABASES_SETTING (the platform setting the
# databases come from, named in the messages; optional), WAIT_SECONDS, WAIT_INTERVAL.
set -euf

: "${PGHOST:?PGHOST is required}"
: "${PGUSER:?PGUSER is required}"
: "${PGPASSWORD:?PGPASSWORD is required}"
: "${DATABASES:?DATABASES is required}"
export PGPORT="${PGPORT:-5432}"
export PGDATABASE="${PGDATABASE:-postgres}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
wait_seconds="${WAIT_SECONDS:-600}"
create="${CREATE_DATABASES:-true}"
setting="${DATABASES_SETTING:-}"

case "$create" in
  true|false) ;;
  *) echo "CREATE_DATABASES must be true or false, not '$create'" >&2; exit 1 ;;
esac
# Every name is checked before any statement: they are written into SQL below.
for database in $DATABASES; do
  case "$database" in
    *[!a-z0-9_]*) echo "refusing database name '$database': lowercase letters, digits and _ only" >&2; exit 1 ;;
  esac
done

deadline=$(( $(date +%s) + wait_seconds ))
until pg_isready -q; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "PostgreSQL at $PGHOST:$PGPORT is not accepting connections after ${wait_seconds}s" >&2
    exit 1
  fi
  echo "waiting for PostgreSQL at $PGHOST:$PGPORT"
  sleep "${WAIT_INTERVAL:-5}"
done

# psql's error, on one line.
one_line() {
  printf '%s' "$1" | tr -s '\n' ' ' | sed 's/ *$//'
}

# pg_database is shared by all databases: it is read in the maintenance database, or, for an application user that
# may not connect there, in the first of its own databases that lets it in.
catalog=""
first_error=""
for candidate in "$PGDATABASE" $DATABASES; do
  if error=$(psql -d "$candidate" -v ON_ERROR_STOP=1 -tAc "SELECT 1" 2>&1 >/dev/null); then
    catalog="$candidate"
    break
  fi
  [ -n "$first_error" ] || first_error="$error"
done
if [ -z "$catalog" ]; then
  echo "cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER: $(one_line "$first_error")" >&2
  exit 1
fi
export PGDATABASE="$catalog"

# Prints 1 when the database exists; any connection or authentication error ends the script.
database_exists() {
  psql -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'"
}

missing=""
for database in $DATABASES; do
  if [ "$(database_exists "$database")" = 1 ]; then
    echo "database $database exists"
  else
    missing="$missing $database"
  fi
done
missing="${missing# }"

if [ -n "$missing" ] && [ "$create" = false ]; then
  echo "missing on $PGHOST:$PGPORT: database(s) $missing, and ${setting:+$setting.}createDatabases is false, so none is created:" \
    "create them for $PGUSER (CREATE DATABASE <name> OWNER $PGUSER, as a user with CREATEDB)${setting:+, or name databases that exist in $setting.databases}" >&2
  exit 1
fi
if [ -n "$missing" ]; then
  # Said before trying, naming every database at once: PostgreSQL's own refusal names neither the way out nor the rest.
  allowed=$(psql -v ON_ERROR_STOP=1 -tAc "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
  if [ "$allowed" != t ]; then
    echo "cannot create database(s) $missing on $PGHOST:$PGPORT: user $PGUSER has no CREATEDB; create them for it" \
      "(CREATE DATABASE <name> OWNER $PGUSER, as a user with CREATEDB)${setting:+ and set $setting.createDatabases: false}" >&2
    exit 1
  fi
fi

for database in $missing; do
  if psql -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$database\""; then
    echo "database $database created"
  elif [ "$(database_exists "$database")" = 1 ]; then
    echo "database $database was created by another run"
  else
    echo "could not create database $database" >&2
    exit 1
  fi
done

# Dify's migrations and the plugin daemon create their tables in the user's current schema. Since PostgreSQL 15 only
# a database's owner may create in `public`, so a database made by someone else can let the user in and still refuse
# the first migration: said here, by database, instead of in a crash-looping pod.
refused=""
for database in $DATABASES; do
  if ! answer=$(psql -d "$database" -v ON_ERROR_STOP=1 -tAc \
    "SELECT coalesce(current_schema(), '') || ':' || coalesce(has_schema_privilege(current_schema(), 'CREATE'), false)" 2>&1); then
    echo "user $PGUSER cannot connect to database $database: $(one_line "$answer")" >&2
    refused=1
    continue
  fi
  schema="${answer%%:*}"
  if [ -z "$schema" ]; then
    echo "user $PGUSER has no schema to create tables in, in database $database: no schema of its search_path exists" >&2
    refused=1
  elif [ "${answer#*:}" != true ]; then
    echo "user $PGUSER cannot create tables in schema $schema of database $database: GRANT CREATE ON SCHEMA $schema TO $PGUSER, or make it the database's owner" >&2
    refused=1
  else
    echo "user $PGUSER can create tables in database $database (schema $schema)"
  fi
done
[ -z "$refused" ] || exit 1

# Prints 1 when the extension is enabled in the database.
extension_exists() {
  psql -d "$1" -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_extension WHERE extname = '$2'"
}

for pair in ${EXTENSIONS:-}; do
  database="${pair%%:*}"
  extension="${pair#*:}"
  case "$database:$extension" in
    *[!a-z0-9_:]*|:*|*:) echo "refusing extension '$pair': database:extension, lowercase letters, digits and _ only" >&2; exit 1 ;;
  esac
  if [ "$(extension_exists "$database" "$extension")" = 1 ]; then
    echo "extension $extension is enabled in $database"
  elif psql -d "$database" -v ON_ERROR_STOP=1 -qc "CREATE EXTENSION IF NOT EXISTS \"$extension\""; then
    echo "extension $extension enabled in $database"
  elif [ "$(extension_exists "$database" "$extension")" = 1 ]; then
    echo "extension $extension was enabled in $database by another run"
  else
    echo "could not enable extension $extension in $database" >&2
    exit 1
  fi
done
