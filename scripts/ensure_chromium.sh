#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "==> Installing Chromium from Debian's packages"
if [ "$(id -u)" -ne 0 ]; then
  echo "ERROR: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
echo "==> Chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
