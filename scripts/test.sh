#!/usr/bin/env bash
# Install what the tests need (Debian's chromium for the browser tests, the test extras)
# and run the whole suite. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
python -m pip install -q --upgrade pip
python -m pip install -q ".[test]"
python -m ruff check src tests
python -m pytest -q -n 2 --durations=15
