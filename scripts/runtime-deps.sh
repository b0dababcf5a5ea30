#!/usr/bin/env bash
# What the web app needs beyond Python: the libraries WeasyPrint loads for story PDFs,
# libmagic and ffmpeg. Installs them when it can; otherwise stops and says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/debian-packages.sh
ensure_debian_packages "Uptake" "${RUNTIME_PACKAGES[@]}"
