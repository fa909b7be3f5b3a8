#!/usr/bin/env bash
# The README's test command and what CI runs: install what the tests need (Debian's chromium for
# the browser tests; the locked dependency set with every extra, into a virtual environment) and
# run the whole suite there.
#   OTTEPEL_VENV=DIR bash scripts/test.sh   -> use (or make) DIR instead of ./.venv
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
venv="${OTTEPEL_VENV:-.venv}"
bash scripts/setup.sh "$venv"
py="$venv/bin/python"
"$py" -m ruff check src tests
"$py" -m pytest -q -n 2 --durations=15 "$@"
