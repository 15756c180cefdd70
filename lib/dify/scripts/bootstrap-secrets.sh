#!/bin/sh
# Creates the Secret $TARGET_NAME, holding a strong random value for each key in $GENERATED_ENTRIES, when it does not
# exist. Never changes an existing Secret: rotating a key is a deliberate act (delete the Secret, rerun the Job).
# Talks to the Kubernetes API with the pod's ServiceAccount (a Role allows get and create of Secrets only).
# Environment: TARGET_NAME, GENERATED_ENTRIES (space-separated), and for tests KUBERNETES_API, TOKEN_FILE, CA_FILE, NAMESPACE.
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

# 42 random bytes, base64url without padding: the strength of `openssl rand -base64 42`, safe in URLs and JSON.
random_value() {
  head -c 42 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'
}

status=$(call_api "$secrets_url/$TARGET_NAME")
case "$status" in
  200) echo "secret $TARGET_NAME exists; left unchanged"; exit 0 ;;
  404) ;;
  *) echo "reading secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac

data=""
for key in $GENERATED_ENTRIES; do
  data="$data${data:+,}\"$key\":\"$(random_value)\""
done
body="{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"Opaque\",\"metadata\":{\"name\":\"$TARGET_NAME\",\"labels\":{\"app.kubernetes.io/part-of\":\"dify\"}},\"stringData\":{$data}}"

status=$(call_api -X POST -H 'Content-Type: application/json' --data "$body" "$secrets_url")
case "$status" in
  201) echo "secret $TARGET_NAME created with keys: $GENERATED_ENTRIES" ;;
  409) echo "secret $TARGET_NAME was created by another run; left unchanged" ;;
  *) echo "creating secret $TARGET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac
