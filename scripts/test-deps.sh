#!/usr/bin/env bash
# What the tests need beyond Python: Debian's chromium (Playwright drives it), the libraries
# WeasyPrint loads, libmagic, ffmpeg (evidence videos), xmlsec1 (the SAML tests' IdP, pysaml2), and axe-core from npm. Installs them when it can; otherwise
# stops and says what to install. It never lets the suite skip tests silently.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/debian-packages.sh
# The app's own (WeasyPrint, libmagic, ffmpeg), then the tests': chromium for Playwright,
# xmlsec1 for the SAML tests' IdP, poppler-utils (pdftotext) to read story PDFs.
ensure_debian_packages "The tests" "${RUNTIME_PACKAGES[@]}" chromium xmlsec1 poppler-utils

# From package-lock.json: axe-core (browser tests) and jsonld.js with Digital Bazaar's VC
# libraries (tests/crosscheck, the JavaScript check of issued Open Badges).
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/jsonld/package.json ] \
    || [ ! -f node_modules/@digitalbazaar/vc/package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "The tests need Node.js and npm to install axe-core and jsonld.js (package-lock.json). Install Node.js and npm." >&2
    exit 1
  fi
  echo "-> installing axe-core, jsonld.js and the VC libraries from package-lock.json"
  npm ci --silent --no-audit --no-fund >/dev/null
fi
