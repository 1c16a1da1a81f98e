#!/usr/bin/env bash
# Build the hook's container image with podman or docker, from the repository's root:
#   bash deploy/build-image.sh [TAG]     (default: planet-lake-hook:VERSION)
# then push it where the cluster pulls from and set that name in deploy/argo/workflowtemplate.yaml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
version="$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
tag="${1:-planet-lake-hook:$version}"
engine=""
for candidate in podman docker; do
  command -v "$candidate" >/dev/null && { engine="$candidate"; break; }
done
[ -n "$engine" ] || { echo "no container engine (podman or docker) on this machine" >&2; exit 2; }
"$engine" build -f deploy/Containerfile -t "$tag" .
# the entry point is the one-shot hook: its help must list --event
"$engine" run --rm "$tag" --help | grep -q -- "--event"
echo "built $tag"
