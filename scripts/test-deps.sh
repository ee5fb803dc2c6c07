#!/usr/bin/env bash
# System packages the test suite needs beyond Python (nothing yet beyond the venv).
set -euo pipefail
exit 0
