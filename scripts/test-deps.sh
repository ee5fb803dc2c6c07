#!/usr/bin/env bash
# System packages the test suite needs beyond the venv: Debian's Chromium for the browser tests
# (Playwright drives it via executable_path; Playwright's own browser download is never used).
set -euo pipefail
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null && SUDO="sudo" || { echo "install Debian's chromium (apt-get install chromium) to run the browser tests" >&2; exit 1; }
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium >/dev/null
echo "installed $(/usr/bin/chromium --version)"
