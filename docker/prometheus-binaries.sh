#!/usr/bin/env bash
# Prints a folder holding Debian's prometheus and promtool binaries, downloading the package
# and unpacking it into the cache on first use (nothing is installed or started).
set -euo pipefail
cache="${KINFER_CACHE:-$HOME/.cache/kinfer}/prometheus"
if [ ! -x "$cache/usr/bin/promtool" ]; then
  mkdir -p "$cache/debs"
  (cd "$cache/debs" && apt-get download prometheus >&2 2>/dev/null \
    || { apt-get update >&2 && apt-get download prometheus >&2; }) \
    || { echo "cannot download Debian's prometheus package with apt-get" >&2; exit 1; }
  for deb in "$cache"/debs/*.deb; do dpkg -x "$deb" "$cache"; done
fi
echo "$cache/usr/bin"
