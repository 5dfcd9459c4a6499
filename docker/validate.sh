#!/usr/bin/env bash
# Validates the local stack's files without a Docker engine:
# - docker-compose.yml (and the GPU and registry overrides) with Debian's docker-compose 1.29.2, whose Python
#   dependencies are downloaded (not installed) into a cache folder and run from there;
# - Prometheus' config and alert rules with promtool, from Debian's prometheus package,
#   likewise downloaded and unpacked into the cache (nothing is installed or started);
# - the Grafana dashboard and datasource files parse; the sample producer compiles.
# MonitoringStackTest runs this in every build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${KINFER_CACHE:-$HOME/.cache/kinfer}"
cache="$root/docker-compose"
if [ ! -x "$cache/usr/bin/docker-compose" ]; then
  mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get download docker-compose python3-cached-property python3-docker \
    python3-dockerpty python3-docopt python3-dotenv python3-jsonschema python3-requests \
    python3-texttable python3-websocket python3-yaml python3-distro python3-six python3-attr \
    python3-pyrsistent python3-certifi python3-charset-normalizer python3-idna python3-urllib3 \
    python3-chardet python3-distutils)
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache"; done
fi
compose() {
  PYTHONPATH="$cache/usr/lib/python3/dist-packages" /usr/bin/python3 "$cache/usr/bin/docker-compose" "$@"
}
compose -f "$here/docker-compose.yml" config -q
echo "docker-compose.yml is valid"
compose -f "$here/docker-compose.yml" -f "$here/docker-compose.gpu.yml" config -q
echo "docker-compose.yml with docker-compose.gpu.yml is valid"
compose -f "$here/docker-compose.yml" -f "$here/docker-compose.registry.yml" config -q
echo "docker-compose.yml with docker-compose.registry.yml is valid"

prom="$("$here/prometheus-binaries.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The config names the rules by their path in the container; check it against the local file.
sed "s#/etc/prometheus/alerts.yml#$here/prometheus/alerts.yml#" "$here/prometheus/prometheus.yml" \
  > "$work/prometheus.yml"
"$prom/promtool" check config "$work/prometheus.yml"
"$prom/promtool" check rules "$here/prometheus/alerts.yml"

/usr/bin/python3 -m json.tool "$here/grafana/dashboards/kinfer.json" > /dev/null
PYTHONPATH="$cache/usr/lib/python3/dist-packages" /usr/bin/python3 -c '
import sys, yaml
for f in sys.argv[1:]:
    yaml.safe_load(open(f))
' "$here"/grafana/provisioning/*/*.yml
echo "Grafana dashboard and provisioning files parse"
/usr/bin/python3 -m py_compile "$here/sample-producer/produce_samples.py"
echo "the sample producer compiles"
