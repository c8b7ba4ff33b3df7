#!/usr/bin/env bash
# Set up yddnews in ./.venv: the pinned requirements, then the project itself installed
# editable (`pip install -e .`), so `import yddnews` works in scripts and notebooks.
#   ./setup.sh            runtime only
#   ./setup.sh --dev      + test/benchmark tools, Datasette ([dev] includes [browse]) and, where
#                         it can (root with apt-get), Debian's chromium for the browser tests
#   ./setup.sh --browse   + Datasette for the browsable store
#   PYTHON=/usr/bin/python3.12 ./setup.sh    choose the interpreter (default: python3)
# A pyenv Python under /root cannot be read by a Scrapyd service user: see docs/scrapyd.md.
set -euo pipefail
cd "$(dirname "$0")"
"${PYTHON:-python3}" -m venv .venv
.venv/bin/pip install -q --upgrade pip
case "${1:-}" in
  --dev)
    .venv/bin/pip install -q -r requirements-dev.txt
    .venv/bin/pip install -q -e ".[dev]"
    # fonts-nanum: Korean glyphs for the browser test's dashboard screenshot
    if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=ko 2>/dev/null | grep -q .; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
          fonts-nanum >/dev/null
      else
        echo "note: no chromium; install it (apt-get install chromium) or run" \
             "'.venv/bin/playwright install chromium' for the rendering tests" >&2
      fi
    fi
    ;;
  --browse)
    .venv/bin/pip install -q -r requirements-browse.txt
    .venv/bin/pip install -q -e ".[browse]"
    ;;
  *)
    .venv/bin/pip install -q -r requirements.txt
    .venv/bin/pip install -q -e .
    ;;
esac
echo "yddnews is set up in $(pwd)/.venv ($(.venv/bin/python --version))" >&2
