#!/usr/bin/env bash
# Install everything the test suite needs and run all of it: lint, types, tests.
# Browser tests need Debian's Chromium; as root we install it with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CITEHUB_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the browser tests: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

python -m pip install -q -e ".[test]"
ruff check .
mypy
python -m pytest "$@"
