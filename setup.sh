#!/usr/bin/env bash
# Set up yddnews in ./.venv. `./setup.sh --dev` adds the test/benchmark tools and, where it can
# (root with apt-get), Debian's chromium for the rendering tests.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/pip install -q -r requirements-dev.txt
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "note: no chromium; install it (apt-get install chromium) or run" \
           "'.venv/bin/playwright install chromium' for the rendering tests" >&2
    fi
  fi
else
  .venv/bin/pip install -q -r requirements.txt
fi
echo "yddnews is set up in $(pwd)/.venv" >&2
