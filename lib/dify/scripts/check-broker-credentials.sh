#!/bin/sh
# Refuses Redis credentials that Celery's broker URL cannot carry. Dify reads the broker only from CELERY_BROKER_URL
# (no URL built from REDIS_* at any supported version), and Kubernetes fills that URL's $(REDIS_USERNAME) and
# $(REDIS_PASSWORD) as they are, unescaped. kombu reads it as a URL and unescapes the parts: `/`, `?` and `#` end the
# address, `%` starts an escape, `@` is where the host begins, `;` separates failover URLs, and `:` ends the user name.
# Prints one line that names where the value is kept (never the value) and fails.
# Environment: REDIS_PASSWORD and PASS_FROM; REDIS_USERNAME and USER_FROM when the URL carries a user name.
set -eu

refuse() {
  echo "the Redis $1 in $2 holds one of $3, which the Celery broker URL cannot carry (Kubernetes puts it into CELERY_BROKER_URL unescaped): give Redis a $1 without them" >&2
  exit 1
}

case "${REDIS_PASSWORD:-}" in
  *[/?#%@\;]*) refuse password "$PASS_FROM" '/ ? # % @ ;' ;;
esac
case "${REDIS_USERNAME:-}" in
  *[/?#%@\;:]*) refuse 'user name' "$USER_FROM" '/ ? # % @ ; :' ;;
esac
echo "the Redis credentials fit in the Celery broker URL"
