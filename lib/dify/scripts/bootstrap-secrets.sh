#!/bin/sh
# Creates the Secret $TARGET_NAME, holding a strong random value for each key in $GENERATED_ENTRIES, when it does not
# exist. When it exists, adds only the keys it lacks (a newer Dify version needs a new key) and never changes a key it
# has: rotating a key is a deliberate act (delete the Secret, rerun the Job).
# Talks to the Kubernetes API with the pod's ServiceAccount (a Role allows get and patch of that Secret and create).
# Environment: TARGET_NAME, GENERATED_ENTRIES (space-separated KEY or KEY:BYTES, default 42 random bytes each), and for
# tests KUBERNETES_API, TOKEN_FILE, CA_FILE, NAMESPACE.
set -eu

: "${TARGET_NAME:?TARGET_NAME is required}"
: "${GENERATED_ENTRIES:?GENERATED_ENTRIES is required}"
account=/var/run/secrets/kubernetes.io/serviceaccount
api="${KUBERNETES_API:-https://kubernetes.default.svc}"
token_file="${TOKEN_FILE:-$account/token}"
ca_file="${CA_FILE:-$account/ca.crt}"
namespace="${NAMESPACE:-$(cat "$account/namespace")}"
secrets_url="$api/api/v1/namespaces/$namespace/secrets"
response="$(mktemp)"
trap 'rm -f "$response"' EXIT

# Prints the HTTP status; the body lands in $response.
call_api() {
  curl -sS --cacert "$ca_file" -H "Authorization: Bearer $(cat "$token_file")" -o "$response" -w '%{http_code}' "$@"
}

# $1 random bytes (42 by default: the strength of `openssl rand -base64 42`), as base64url without padding, safe in
# URLs and JSON. Some programs need an exact size (the agent backend's key decodes to exactly 32 bytes).
random_value() {
  head -c "${1:-42}" /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'
}

# JSON members `"KEY":"<random>"` for each given KEY or KEY:BYTES.
random_entries() {
  entries=""
  for entry in "$@"; do
    key="${entry%%:*}"
    bytes=""
    [ "$key" = "$entry" ] || bytes="${entry#*:}"
    entries="$entries${entries:+,}\"$key\":\"$(random_value "$bytes")\""
  done
  echo "$entries"
}

status=$(call_api "$secrets_url/$TARGET_NAME")
case "$status" in
  200) ;;
  404)
    body="{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"Opaque\",\"metadata\":{\"name\":\"$TARGET_NAME\",\"labels\":{\"app.kubernetes.io/part-of\":\"dify\"}},\"stringData\":{$(random_entries $GENERATED_ENTRIES)}}"
    status=$(call_api -X POST -H 'Content-Type: application/json' --data "$body" "$secrets_url")
    case "$status" in
      201) echo "secret $TARGET_NAME created"; exit 0 ;;
      409)
        echo "secret $TARGET_NAME was created by another run; checking its keys"
        status=$(call_api "$secrets_url/$TARGET_NAME")
        [ "$status" = 200 ] || { echo "reading secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1; } ;;
      *) echo "creating secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
    esac ;;
  *) echo "reading secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac

# The Secret exists: which keys does its data lack? (Keys are [A-Z_]: a plain search of `"KEY":"` in the body.)
missing=""
for entry in $GENERATED_ENTRIES; do
  grep -q "\"${entry%%:*}\":\"" "$response" || missing="$missing${missing:+ }$entry"
done
if [ -z "$missing" ]; then
  echo "secret $TARGET_NAME has every key; left unchanged"
  exit 0
fi
# The patch names the version it read: if anything changed the Secret since, the API refuses (409), nothing is lost.
resource_version=$(tr -d '\n ' < "$response" | sed -n 's/.*"resourceVersion":"\([^"]*\)".*/\1/p')
body="{\"metadata\":{\"resourceVersion\":\"$resource_version\"},\"stringData\":{$(random_entries $missing)}}"
status=$(call_api -X PATCH -H 'Content-Type: application/merge-patch+json' --data "$body" "$secrets_url/$TARGET_NAME")
case "$status" in
  200) echo "secret $TARGET_NAME: added the keys it lacked: $missing; the others left unchanged" ;;
  409) echo "secret $TARGET_NAME changed while adding $missing; run again" >&2; exit 1 ;;
  *) echo "adding $missing to secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac
