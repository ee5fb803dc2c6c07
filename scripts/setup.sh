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
# llama-cpp-python compiles from source once (pip keeps the built wheel in its cache for the next install), and
# that build is most of a first setup: it starts now, in the background, while torch and the other pinned
# packages download and install. Only the library the bindings load is built: no multimodal (mtmd/llava)
# library, tests, examples, tools or server, on every core.
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
llama="$(grep -i '^llama[-_]cpp[-_]python==' requirements.lock)"
wheels=".venv/.wheels"
rm -rf "$wheels" && mkdir -p "$wheels"
pip wheel --no-deps -w "$wheels" "$llama" > .venv/llama-build.log 2>&1 &
build=$!
trap 'kill "$build" 2>/dev/null || true' EXIT  # a failed step below leaves no build running
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
pip install "torch==2.13.0"
say "torch installed; now the pinned packages, while $llama compiles (first time ~3 min on 2 cores)"
pip install -r <(grep -iv '^llama[-_]cpp[-_]python==' requirements.lock)
say "pinned packages installed; waiting for the $llama build"
if ! wait "$build"; then
  tail -n 40 .venv/llama-build.log >&2
  echo "setup: building $llama failed (full log: .venv/llama-build.log); it needs a C/C++ compiler (gcc, g++)" >&2
  exit 1
fi
pip install --no-deps "$wheels"/llama_cpp_python-*.whl
pip install --no-deps -e .
echo "$want" > "$stamp"
say "done"
