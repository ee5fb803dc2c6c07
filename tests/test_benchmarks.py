"""Benchmarks in smoke mode, so they cannot rot (no timing assertions: CI machines vary)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def test_ingest_benchmark_smoke():
    out = run("benchmarks.ingest", "--smoke")
    assert "| full ingest (wall, incl. model load) |" in out and "stock LlamaIndex" in out


def test_query_benchmark_smoke(corpus_settings):
    out = run("benchmarks.query", "--smoke", "--data-dir", str(corpus_settings.data_dir))
    assert "| hybrid |" in out and "first token p50 s" in out


def test_scale_benchmark_smoke():
    out = run("benchmarks.scale", "--smoke")
    assert "retrieval_p50_ms" in out and "which_papers_p50_ms" in out and (ROOT / "benchmarks" / "out" / "scale-smoke.png").exists()


def test_encoder_benchmark_smoke():
    out = run("benchmarks.onnx_embed", "--smoke")
    assert "| int8, feed-forward output fp32 in layers 0 and 2 (default) |" in out and "| int8 every MatMul |" in out
