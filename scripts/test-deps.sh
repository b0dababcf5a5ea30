#!/usr/bin/env bash
# What the tests need beyond Python: Debian's chromium (Playwright drives it), the libraries
# WeasyPrint loads, libmagic, ffmpeg (evidence videos), xmlsec1 (the SAML tests' IdP, pysaml2), and axe-core from npm. Installs them when it can; otherwise
# stops and says what to install. It never lets the suite skip tests silently.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libmagic1 ffmpeg fonts-dejavu-core xmlsec1 poppler-utils)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "-> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them as root (apt-get install ${missing[*]}) and run 'make test' again." >&2
    exit 1
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "The browser tests need npm to install axe-core (package-lock.json). Install Node.js and npm." >&2
    exit 1
  fi
  echo "-> installing axe-core from package-lock.json"
  npm ci --silent --no-audit --no-fund >/dev/null
fi
