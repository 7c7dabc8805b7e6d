#!/usr/bin/env bash
# Creates the project's Python environment (.venv) with the model exporter and the test
# tools. torch pulls several GB of wheels: pip's cache is reused when the machine has one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
stamp="$IPH_VENV/.interphase-stamp"
want=$(cat "$IPH_ROOT/model-export/pyproject.toml" "$IPH_ROOT/requirements-test.txt" "$IPH_ROOT/scripts/requirements.txt" 2>/dev/null | sha256sum | cut -c1-16)
if [ -x "$IPH_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  say "Python environment up to date ($IPH_VENV)"; exit 0
fi
require_disk "$(dirname "$IPH_VENV")" 8000
py=$(command -v python3 || true)
[ -n "$py" ] || die "python3 not found. Install Python >= 3.10 (apt-get install python3 python3-venv)."
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3,10) else 1)' \
  || die "python3 is $("$py" --version 2>&1); the exporter needs >= 3.10. Install a newer python3."
[ -x "$IPH_VENV/bin/python" ] || "$py" -m venv "$IPH_VENV" || die "cannot create the venv $IPH_VENV. Install python3-venv."
say "installing Python packages into $IPH_VENV (torch is large; the first time takes a few minutes)"
"$IPH_VENV/bin/pip" install -q --upgrade pip >/dev/null
"$IPH_VENV/bin/pip" install -q -e "$IPH_ROOT/model-export" -r "$IPH_ROOT/requirements-test.txt" -r "$IPH_ROOT/scripts/requirements.txt" \
  || die "pip install failed (see above). Check access to PyPI and free disk space."
echo "$want" > "$stamp"
