#!/usr/bin/env bash
# ensure_debian_packages WHY PKG...: installs the Debian packages that are missing when it
# can (as root, with apt-get); otherwise stops and says what to install and why.
ensure_debian_packages() {
  local why="$1"; shift
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "-> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "$why need these Debian packages, which are not installed: ${missing[*]}" >&2
    echo "Install them as root (apt-get install ${missing[*]}) and run make again." >&2
    exit 1
  fi
}

# What the app itself loads at run time: WeasyPrint's libraries and fonts (story PDFs),
# libmagic (upload sniffing), ffmpeg (evidence videos).
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libmagic1 ffmpeg fonts-dejavu-core)
