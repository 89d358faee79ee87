#!/usr/bin/env bash
# Test set-up: installs the system packages the browser tests need, when missing.
# Chromium comes from Debian's packages (Playwright never downloads a browser); the pages name
# DejaVu's math font so that MathML braces and fractions stretch (fonts-dejavu-extra).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf ] || missing+=(fonts-dejavu-extra)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "tests/setup.sh: missing ${missing[*]} and not root; browser tests may be skipped" >&2
  fi
fi
