#!/bin/sh
# Waits for the embedded MinIO, then creates Dify's bucket if it does not exist. Safe to run any number of times.
# Environment: MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, BUCKET, WAIT_SECONDS.
set -eu
: "${MINIO_URL:?}" "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${BUCKET:?}"
export HOME="${HOME:-/tmp}"
deadline=$(( $(date +%s) + ${WAIT_SECONDS:-600} ))
until mc alias set dify "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "MinIO at $MINIO_URL did not answer in time" >&2; exit 1; fi
  echo "waiting for MinIO at $MINIO_URL"
  sleep 5
done
mc mb --ignore-existing "dify/$BUCKET"
echo "bucket $BUCKET ready"
