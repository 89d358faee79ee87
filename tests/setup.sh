#!/usr/bin/env bash
# Test set-up: installs the system packages the browser tests need, when missing.
# Chromium comes from Debian's packages; Playwright never downloads a browser.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "tests/setup.sh: chromium missing and not root; browser tests will be skipped" >&2
  fi
fi
