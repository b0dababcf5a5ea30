#!/usr/bin/env bash
# Create .venv with Python 3.12 and install the locked dependencies (uv.lock) into it.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9

find_python() {
  local candidate
  for candidate in python3.12 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)/versions/3.12"*/bin/python3.12; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

if ! PYTHON=$(find_python); then
  echo "Uptake needs Python 3.12 and none was found." >&2
  echo "Install it (for example: pyenv install 3.12) and run this command again." >&2
  exit 1
fi

if [ ! -x .tools/bin/uv ]; then
  echo "-> installing uv $UV_VERSION into .tools/ (with $PYTHON)"
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

echo "-> installing the locked dependencies into .venv/"
UV_PROJECT_ENVIRONMENT=.venv UV_PYTHON_DOWNLOADS=never \
  .tools/bin/uv sync --frozen --python "$PYTHON" --quiet
