#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: Debian's docker-compose 1.29.2 and its
# Python dependencies are downloaded (not installed) into a cache folder and run from there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KINFER_CACHE:-$HOME/.cache/kinfer}/docker-compose"
if [ ! -x "$cache/usr/bin/docker-compose" ]; then
  mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get download docker-compose python3-cached-property python3-docker \
    python3-dockerpty python3-docopt python3-dotenv python3-jsonschema python3-requests \
    python3-texttable python3-websocket python3-yaml python3-distro python3-six python3-attr \
    python3-pyrsistent python3-certifi python3-charset-normalizer python3-idna python3-urllib3 \
    python3-chardet python3-distutils)
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache"; done
fi
PYTHONPATH="$cache/usr/lib/python3/dist-packages" /usr/bin/python3 "$cache/usr/bin/docker-compose" \
  -f "$here/docker-compose.yml" config -q
echo "docker-compose.yml is valid"
