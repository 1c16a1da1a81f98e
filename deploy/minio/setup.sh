#!/usr/bin/env bash
# The MinIO side of PLANET's lake, for the hook in deploy/argo (or the --listen hook of the README):
#   bash deploy/minio/setup.sh ALIAS [--namespace NS] [--webhook URL]
# ALIAS is an mc alias with admin rights (mc alias set ALIAS https://minio.example.org ADMIN_KEY), and the
# locations below must match deploy/argo/eventsource.yaml (tests/core/test_deploy_manifests.py checks they do).
# It creates, idempotently:
#   - each location's raw, validated and triage buckets;
#   - the policies: planet-uploader (uploader-policy.json, the README's: each user writes only in their own
#     folder of raw), planet-hook (read, write, delete on the three buckets), planet-events
#     (ListenBucketNotification on the raw buckets, for Argo Events' MinIO event source);
#   - the users planet-hook and planet-events with fresh random secrets, which go straight into the Kubernetes
#     Secrets planet-hook-s3 (ENDPOINT, ACCESSKEYID, SECRETACCESSKEY) and planet-events-minio (accesskey,
#     secretkey) of NS with --namespace; without it into a 0600 file, planet-lake-keys.env, to hand over by hand.
#     Secrets never appear on a command line (kubectl reads them from standard input).
# With --webhook URL (the `hook --listen` deployment instead of Argo): MinIO's notify_webhook target "planet"
# posting to URL with WEBHOOK_TOKEN (from the environment), and `mc event add` on each raw bucket.
# The uploaders' role: attach planet-uploader to the OpenID provider's role policy, e.g.
#   mc admin config set ALIAS identity_openid config_url=https://iam.example.org/.well-known/openid-configuration \
#      client_id=planet-minio role_policy=planet-uploader claim_name=preferred_username
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
alias="${1:?usage: setup.sh ALIAS [--namespace NS] [--webhook URL]}"
shift
namespace=""
webhook=""
while [ $# -gt 0 ]; do
  case "$1" in
    --namespace) namespace="$2"; shift 2 ;;
    --webhook) webhook="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
# location name -> its raw, validated and triage buckets (as in deploy/argo/eventsource.yaml and sensor.yaml)
locations=(planet istat)
raw_buckets=()

for location in "${locations[@]}"; do
  for stage in raw validated triage; do
    mc mb --ignore-existing "$alias/$location-$stage"
  done
  raw_buckets+=("$location-raw")
done

mc admin policy create "$alias" planet-uploader "$here/uploader-policy.json"
mc admin policy create "$alias" planet-hook "$here/hook-policy.json"
mc admin policy create "$alias" planet-events "$here/events-policy.json"

endpoint="$(mc alias list "$alias" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["URL"])')"
hook_secret="$(openssl rand -base64 30 | tr -d '/+=\n')"
events_secret="$(openssl rand -base64 30 | tr -d '/+=\n')"
# mc reads the secret key from standard input when it is not on the command line
printf '%s\n' "$hook_secret" | mc admin user add "$alias" planet-hook >/dev/null
printf '%s\n' "$events_secret" | mc admin user add "$alias" planet-events >/dev/null
mc admin policy attach "$alias" planet-hook --user planet-hook || true
mc admin policy attach "$alias" planet-events --user planet-events || true

if [ -n "$namespace" ]; then
  printf 'ENDPOINT=%s\nACCESSKEYID=planet-hook\nSECRETACCESSKEY=%s\n' "$endpoint" "$hook_secret" \
    | kubectl -n "$namespace" create secret generic planet-hook-s3 --from-env-file=/dev/stdin \
        --dry-run=client -o yaml | kubectl -n "$namespace" apply -f -
  printf 'accesskey=planet-events\nsecretkey=%s\n' "$events_secret" \
    | kubectl -n "$namespace" create secret generic planet-events-minio --from-env-file=/dev/stdin \
        --dry-run=client -o yaml | kubectl -n "$namespace" apply -f -
  echo "Secrets planet-hook-s3 and planet-events-minio are in namespace $namespace"
else
  umask 077
  printf 'ENDPOINT=%s\nACCESSKEYID=planet-hook\nSECRETACCESSKEY=%s\nEVENTS_ACCESSKEY=planet-events\nEVENTS_SECRETKEY=%s\n' \
    "$endpoint" "$hook_secret" "$events_secret" > planet-lake-keys.env
  echo "The keys are in ./planet-lake-keys.env (0600): put them in the Secrets deploy/README.md names, then delete it"
fi

if [ -n "$webhook" ]; then
  : "${WEBHOOK_TOKEN:?set WEBHOOK_TOKEN to the token the hook has}"
  mc admin config set "$alias" notify_webhook:planet endpoint="$webhook" auth_token="$WEBHOOK_TOKEN" \
    queue_dir="/var/lib/minio/events"
  mc admin service restart "$alias"
  for bucket in "${raw_buckets[@]}"; do
    mc event add --ignore-existing "$alias/$bucket" arn:minio:sqs::planet:webhook --event put
  done
fi
