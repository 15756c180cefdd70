#!/bin/sh
# Waits for the PostgreSQL primary, then creates each database named in $DATABASES that does not exist yet, and
# enables each extension of $EXTENSIONS (`database:extension` pairs) in its database.
# Safe to run any number of times, and by two Jobs at once; fails loudly on anything but "it exists".
# Environment: PGHOST, PGPORT, PGUSER, PGPASSWORD (libpq), DATABASES (space-separated), EXTENSIONS (optional,
# space-separated), WAIT_SECONDS, WAIT_INTERVAL.
set -euf

: "${PGHOST:?PGHOST is required}"
: "${PGUSER:?PGUSER is required}"
: "${PGPASSWORD:?PGPASSWORD is required}"
: "${DATABASES:?DATABASES is required}"
export PGPORT="${PGPORT:-5432}"
export PGDATABASE="${PGDATABASE:-postgres}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
wait_seconds="${WAIT_SECONDS:-600}"

deadline=$(( $(date +%s) + wait_seconds ))
until pg_isready -q; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "PostgreSQL at $PGHOST:$PGPORT is not accepting connections after ${wait_seconds}s" >&2
    exit 1
  fi
  echo "waiting for PostgreSQL at $PGHOST:$PGPORT"
  sleep "${WAIT_INTERVAL:-5}"
done

# Prints 1 when the database exists; any connection or authentication error ends the script.
database_exists() {
  psql -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'"
}

for database in $DATABASES; do
  case "$database" in
    *[!a-z0-9_]*) echo "refusing database name '$database': lowercase letters, digits and _ only" >&2; exit 1 ;;
  esac
  exists=$(database_exists "$database")
  if [ "$exists" = 1 ]; then
    echo "database $database exists"
  elif psql -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$database\""; then
    echo "database $database created"
  elif [ "$(database_exists "$database")" = 1 ]; then
    echo "database $database was created by another run"
  else
    echo "could not create database $database" >&2
    exit 1
  fi
done

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
