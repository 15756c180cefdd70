#!/bin/sh
# Holds until the database's Alembic revisions (alembic_version) are exactly the heads in $HEADS_FILE, the ones the
# api image's code expects: a pod of a new Dify version must not serve against the old schema, and a migration that
# did not run (flask upgrade-db exits 0 with "Database migration skipped" while another holder has its lock) must
# not count as done. WAIT_SECONDS=0 waits for good (the workloads); the migration Job gives up after WAIT_SECONDS.
# libpq's PG* variables say where the database is; WAIT_DATABASE names it.
set -u
export LC_ALL=C
interval=${WAIT_INTERVAL:-5}
expected=$(sort "$HEADS_FILE" | tr '\n' ' ' | sed 's/ $//')
if [ -z "$expected" ]; then
  echo "no schema head in $HEADS_FILE" >&2
  exit 1
fi
# A deadline rather than a count of sleeps: WAIT_INTERVAL may be a fraction of a second (sleep takes one).
deadline=$(( $(date +%s) + WAIT_SECONDS ))
while :; do
  # Nothing (no table yet, or the server not up) reads as an empty revision.
  current=$(psql -d "$WAIT_DATABASE" -tAc "SELECT version_num FROM alembic_version" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$current" = "$expected" ]; then
    echo "schema of $WAIT_DATABASE is at the image's head: $expected"
    exit 0
  fi
  if [ "$WAIT_SECONDS" -gt 0 ] && [ "$(date +%s)" -ge "$deadline" ]; then
    echo "schema of $WAIT_DATABASE on $PGHOST is at ${current:-no revision}, the image needs $expected: the migration did not reach it" >&2
    exit 1
  fi
  echo "waiting for the schema of $WAIT_DATABASE on $PGHOST: at ${current:-no revision}, needs $expected"
  sleep "$interval"
done
