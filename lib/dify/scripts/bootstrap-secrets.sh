#!/bin/sh
# Creates the Secret $SECRET_NAME, holding a strong random value for each key in $SECRET_KEYS, when it does not
# exist. Never changes an existing Secret: rotating a key is a deliberate act (delete the Secret, rerun the Job).
# Talks to the Kubernetes API with the pod's ServiceAccount (a Role allows get and create of Secrets only).
# Environment: SECRET_NAME, SECRET_KEYS (space-separated), and for tests KUBERNETES_API, TOKEN_FILE, CA_FILE, NAMESPACE.
set -eu

: "${SECRET_NAME:?SECRET_NAME is required}"
: "${SECRET_KEYS:?SECRET_KEYS is required}"
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

status=$(call_api "$secrets_url/$SECRET_NAME")
case "$status" in
  200) echo "secret $SECRET_NAME exists; left unchanged"; exit 0 ;;
  404) ;;
  *) echo "reading secret $SECRET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac

data=""
for key in $SECRET_KEYS; do
  data="$data${data:+,}\"$key\":\"$(random_value)\""
done
body="{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"Opaque\",\"metadata\":{\"name\":\"$SECRET_NAME\",\"labels\":{\"app.kubernetes.io/part-of\":\"dify\"}},\"stringData\":{$data}}"

status=$(call_api -X POST -H 'Content-Type: application/json' --data "$body" "$secrets_url")
case "$status" in
  201) echo "secret $SECRET_NAME created with keys: $SECRET_KEYS" ;;
  409) echo "secret $SECRET_NAME was created by another run; left unchanged" ;;
  *) echo "creating secret $SECRET_NAME failed with HTTP $status: $(cat "$response")" >&2; exit 1 ;;
esac
