#!/usr/bin/env bash
# Browser tests use Debian's Chromium; no test tool may download a browser of its own.
# Installs it when missing and we are root (as in CI); otherwise says so loudly.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "************************************************************" >&2
echo "* Chromium is missing and cannot be installed (not root).   *" >&2
echo "* Browser tests will be SKIPPED. Install it with:           *" >&2
echo "*   sudo apt-get install -y chromium                        *" >&2
echo "************************************************************" >&2
