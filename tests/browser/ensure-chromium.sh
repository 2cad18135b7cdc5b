#!/usr/bin/env bash
# Browser tests use Debian's Chromium (or the browser CHROMIUM_PATH names, as in CI); no test
# tool may download a browser of its own. Installs chromium when missing and we are root;
# otherwise says so loudly. Without a browser the tests skip, except where CI is set: there
# they fail, so the accessibility checks can never quietly stop running.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
  exit 0
fi
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
echo "* Browser tests will be SKIPPED (and FAIL where CI is set). *" >&2
echo "* Install it with:  sudo apt-get install -y chromium        *" >&2
echo "* or point CHROMIUM_PATH at an installed Chrome/Chromium.   *" >&2
echo "************************************************************" >&2
