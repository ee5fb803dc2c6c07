"""Shared helpers: run a command and measure wall time and peak memory, medians, tables."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_measured(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> dict:
    """Run a command to completion: wall seconds, its own peak RSS in MB (wait4), the last JSON line of stdout."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    last = {}
    for line in reversed(stdout.strip().splitlines()):
        try:
            last = json.loads(line)
            break
        except ValueError:
            continue
    return {"seconds": wall, "peak_rss_mb": usage.ru_maxrss / 1024, "json": last}


def median(xs):
    """Median of a list (None if empty)."""
    return statistics.median(xs) if xs else None


def table(rows: list[dict], cols: list[str]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(_fmt(r.get(c)) for c in cols) + " |")
    return "\n".join(out)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return "–" if v is None else str(v)


def python() -> str:
    """The interpreter running the benchmark (the project's venv)."""
    return sys.executable
