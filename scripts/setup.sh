#!/usr/bin/env bash
# Make (or bring up to date) a virtual environment that holds exactly the locked dependency set
# (requirements.lock: every extra, pinned with hashes) and ottepel itself.
#   bash scripts/setup.sh            -> ./.venv
#   bash scripts/setup.sh DIR        -> DIR (created if missing)
#   OTTEPEL_EDITABLE=1 bash scripts/setup.sh   -> ottepel installed editable (for development)
# `uv pip sync` removes anything in the environment that the lock does not list, so a package that
# happens to be installed already cannot hide a missing pin.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv}"
UV_VERSION="0.13.9"
PY="${OTTEPEL_PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || {
  echo "setup: the locked environment is for Python 3.11; $PY is $("$PY" -V 2>&1)." >&2
  echo "setup: set OTTEPEL_PYTHON to a Python 3.11 interpreter." >&2
  exit 2
}
if [ ! -x "$venv/bin/python" ]; then
  "$PY" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
uv="$venv/bin/uv"
# uv itself and pip are tools of the environment, not dependencies: keep them through the sync.
"$uv" pip sync -q --python "$venv/bin/python" --require-hashes requirements.lock
"$uv" pip install -q --python "$venv/bin/python" "uv==$UV_VERSION" pip
if [ "${OTTEPEL_EDITABLE:-0}" = "1" ]; then
  "$uv" pip install -q --python "$venv/bin/python" --no-deps -e .
else
  "$uv" pip install -q --python "$venv/bin/python" --no-deps --reinstall-package ottepel .
fi
"$venv/bin/python" - <<'PY'
import importlib.metadata as md
pins = ", ".join(f"{p} {md.version(p)}" for p in ("numpy", "pandas", "xarray", "pyarrow", "duckdb"))
print(f"setup: locked environment ready ({pins})")
PY
