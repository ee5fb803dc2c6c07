#!/usr/bin/env bash
# Create .venv and install paperchat with pinned versions. Safe to re-run: skips when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.paperchat-installed"
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
say() { echo "setup [${SECONDS}s]: $*"; }
say "installing into .venv (first time: a few minutes)"
pip install --upgrade pip
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
pip install "torch==2.13.0"
# Everything else at the exact versions of requirements.lock. llama-cpp-python compiles once; pip keeps
# the built wheel in its cache for the next install. Only the library the bindings load is built: no
# multimodal (mtmd/llava) library, tests, examples, tools or server, on every core.
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
say "torch installed; now the pinned packages (llama-cpp-python compiles on the first install, ~3 min on 2 cores)"
pip install -r requirements.lock
pip install --no-deps -e .
echo "$want" > "$stamp"
say "done"
