"""Load: 8 concurrent sessions x 5 questions against one app on loopback (real embedded model)."""

from __future__ import annotations

import concurrent.futures as cf
import time

import pytest

from tests.app_proc import AppProcess

pytestmark = pytest.mark.slow

TOPICS = [
    ("How many inference outcomes are in the benchmark for routing queries among multiple LLMs?", "routerbench"),
    ("Which dataset was used to evaluate the self-expanding convolutional neural network method?", "self-expanding"),
    ("How do proteins fold into their three-dimensional structure?", None),
    ("What is the best recipe for sourdough bread?", None),
]


def session(app: AppProcess, i: int) -> list[dict]:
    """One user asking five questions (two on corpus papers, off-topic ones refused); returns per-request results."""
    from gradio_client import Client

    client = Client(app.url, verbose=False)
    out = []
    for j in range(5):
        q, topic = TOPICS[(i + j) % len(TOPICS)]
        t0 = time.perf_counter()
        try:
            r = client.predict(question=q, history=[], k=0, api_name="/ask")
        except Exception as exc:  # the queue may tell us to retry; that counts as answered-with-retry
            r = {"error": f"{type(exc).__name__}: {exc}"}
        r["_latency"] = time.perf_counter() - t0
        r["_topic"], r["_question"] = topic, q
        out.append(r)
    return out


def test_eight_concurrent_sessions_all_answered(corpus_settings, tmp_path):
    app = AppProcess(tmp_path, "--data-dir", str(corpus_settings.data_dir), "--seeds", str(corpus_settings.seeds_dir))
    try:
        app.wait_ready()
        with cf.ThreadPoolExecutor(8) as pool:
            results = [r for rs in pool.map(lambda i: session(app, i), range(8)) for r in rs]
        assert len(results) == 40
        errors = [r for r in results if "error" in r]
        assert not [e for e in errors if "retry" not in e["error"].lower() and "queue" not in e["error"].lower()], errors
        for r in results:
            if "answer" in r and r["_topic"]:  # no cross-talk: the sources are this question's, citations among them
                ids = [s["paper_id"] for s in r["sources"]]
                assert any(r["_topic"] in pid for pid in ids), (r["_question"], ids)
                assert {c["paper_id"] for c in r["citations"]} <= set(ids), (r["_question"], ids, r["citations"])
            elif "answer" in r:
                assert r["refused"] and not r["citations"], (r["_question"], r["answer"])  # off-topic: refused, every time
        lat = sorted(r["_latency"] for r in results)
        p95 = lat[int(0.95 * len(lat)) - 1]
        print(f"\nload: {len(results)} requests, {len(errors)} told to retry, p50 {lat[len(lat) // 2]:.1f}s, p95 {p95:.1f}s")
        assert app.proc.poll() is None  # still serving
    finally:
        app.stop()
