"""Incremental ingest against real Chroma and the real MiniLM embedder: add, edit, delete, bad files, kills, locks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from rag.config import load_settings
from rag.store import Store
from rag.lock import ingest_lock
from rag.sync import index_state, sync, verify
from tests.conftest import ROOT, last_json, run_ingest, write_blocks, write_compact


@pytest.fixture
def corpus_sets(corpus_papers):
    """Disjoint groups of real papers: A (compact dump), B (block dump with metadata), S shared by both, C new."""
    with_meta = [p for p in corpus_papers.values() if p.authors and len(p.seed_files) == 1]
    plain = [p for p in corpus_papers.values() if not p.authors]
    return {"A": plain[:6], "B": with_meta[:4], "S": [with_meta[4]], "C": plain[6:9]}


@pytest.fixture
def two_dumps(tmp_path, corpus_sets):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_compact(seeds / "one.txt", corpus_sets["A"] + corpus_sets["S"])
    write_blocks(seeds / "two.txt", corpus_sets["B"] + corpus_sets["S"])
    return seeds


def papers_in_index(settings):
    return {pid: st for pid, st in index_state(Store(settings)).items()}


def test_first_ingest_then_noop_embeds_nothing(two_dumps, make_settings, counting_embedder):
    settings = make_settings(two_dumps)
    first = sync(settings, embedder=counting_embedder)
    assert (first.papers, first.added, first.updated, first.removed) == (11, 11, 0, 0)
    assert first.embedded_chunks == first.chunks == len(counting_embedder.texts)
    assert verify(settings) == []
    counting_embedder.calls = 0
    second = sync(settings, embedder=counting_embedder)
    assert (second.added, second.updated, second.removed, second.metadata_updated) == (0, 0, 0, 0)
    assert second.unchanged == 11 and second.embedded_chunks == 0
    assert counting_embedder.calls == 0


def test_shared_paper_carries_both_seed_files_and_metadata(two_dumps, make_settings, corpus_sets, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    shared = corpus_sets["S"][0]
    meta = paper_meta(settings, shared.paper_id)
    assert meta["seed_files"] == ["one.txt", "two.txt"]
    assert meta["title"] == shared.title and meta["abstract"] == shared.abstract
    assert meta["authors"] == shared.authors


def test_adding_a_dump_embeds_only_its_new_papers(two_dumps, make_settings, corpus_sets, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    counting_embedder.texts.clear()
    write_compact(two_dumps / "three.txt", corpus_sets["C"] + corpus_sets["A"][:1])
    summary = sync(settings, embedder=counting_embedder)
    assert (summary.added, summary.updated, summary.metadata_updated, summary.removed) == (3, 0, 1, 0)
    new_titles = {p.title for p in corpus_sets["C"]}
    assert {t.split("\n", 1)[0] for t in counting_embedder.texts} == new_titles
    assert verify(settings) == []


def test_editing_one_abstract_reembeds_exactly_that_paper(two_dumps, make_settings, corpus_sets, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    target = corpus_sets["A"][2]
    text = (two_dumps / "one.txt").read_text()
    edited = target.abstract.replace(".", ". We also release our code.", 1)
    (two_dumps / "one.txt").write_text(text.replace(target.abstract, edited))
    counting_embedder.texts.clear()
    summary = sync(settings, embedder=counting_embedder)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (0, 1, 0, 10)
    assert counting_embedder.texts and all(t.startswith(target.title + "\n") for t in counting_embedder.texts)
    assert paper_meta(settings, target.paper_id)["abstract"] == edited
    assert verify(settings) == []


def test_deleting_a_dump_removes_its_exclusive_papers_and_keeps_shared(two_dumps, make_settings, corpus_sets, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    (two_dumps / "two.txt").unlink()
    summary = sync(settings, embedder=counting_embedder)
    assert (summary.removed, summary.metadata_updated, summary.papers) == (4, 1, 7)
    held = papers_in_index(settings)
    assert not {p.paper_id for p in corpus_sets["B"]} & set(held)
    shared = corpus_sets["S"][0].paper_id
    assert held[shared].seed_files == {"one.txt"}
    assert verify(settings) == []


def test_bad_file_is_reported_and_loses_nothing(two_dumps, make_settings, corpus_sets, counting_embedder, tmp_path):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    before = papers_in_index(settings)
    good = (two_dumps / "two.txt").read_bytes()
    (two_dumps / "two.txt").write_bytes(good[:200] + b"\xff\xfe broken bytes" + good[200:])
    proc = run_ingest("--seeds", str(two_dumps), "--data-dir", str(settings.data_dir), "--json")
    assert proc.returncode == 1, proc.stderr
    assert "two.txt:" in proc.stderr and "not UTF-8" in proc.stderr
    summary = last_json(proc.stdout)
    assert summary["removed"] == 0 and summary["kept_from_failed_files"] == 4
    assert summary["failed_files"][0]["line"] >= 1
    after = papers_in_index(settings)
    assert set(after) == set(before)
    assert after[corpus_sets["S"][0].paper_id].seed_files == {"one.txt", "two.txt"}
    (two_dumps / "two.txt").write_bytes(good)  # fixed: back to the exact state, nothing to embed
    summary = sync(settings, embedder=counting_embedder)
    assert (summary.added, summary.updated, summary.removed) == (0, 0, 0)
    assert verify(settings) == []


def test_empty_and_unrecognisable_files_are_skipped(two_dumps, make_settings, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    (two_dumps / "empty.txt").write_text("")
    (two_dumps / "notes.txt").write_text("just a title\n")
    summary = sync(settings, embedder=counting_embedder)
    assert {f["file"].rsplit("/", 1)[-1] for f in summary.failed_files} == {"empty.txt", "notes.txt"}
    assert summary.papers == 11 and summary.removed == 0


def test_missing_or_empty_seeds_folder_changes_nothing(two_dumps, make_settings, counting_embedder, tmp_path):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    empty = tmp_path / "empty-seeds"
    empty.mkdir()
    for seeds in (empty, tmp_path / "nope"):
        proc = run_ingest("--seeds", str(seeds), "--data-dir", str(settings.data_dir))
        assert proc.returncode == 2 and "error:" in proc.stderr
    assert len(papers_in_index(settings)) == 11


def test_second_ingest_refuses_while_one_runs_then_waits(two_dumps, make_settings):
    settings = make_settings(two_dumps)
    with ingest_lock(settings.data_dir):
        proc = run_ingest("--seeds", str(two_dumps), "--data-dir", str(settings.data_dir))
    assert proc.returncode == 2
    assert "another ingest is running" in proc.stderr and f"pid {os.getpid()}" in proc.stderr

    def hold():
        with ingest_lock(settings.data_dir):
            time.sleep(3)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.5)
    proc = run_ingest("--seeds", str(two_dumps), "--data-dir", str(settings.data_dir), "--wait", "60", "--json")
    holder.join()
    assert proc.returncode == 0, proc.stderr
    assert last_json(proc.stdout)["papers"] == 11


def test_rebuild_starts_over(two_dumps, make_settings, counting_embedder):
    settings = make_settings(two_dumps)
    sync(settings, embedder=counting_embedder)
    summary = sync(settings, embedder=counting_embedder, rebuild=True)
    assert summary.added == 11 and summary.embedded_chunks == summary.chunks


def test_chunk_settings_get_their_own_collection(two_dumps, make_settings, counting_embedder):
    a = make_settings(two_dumps)
    b = make_settings(two_dumps, **{"chunk.size": 128, "chunk.overlap": 16})
    assert a.collection_name != b.collection_name
    sa = sync(a, embedder=counting_embedder)
    sb = sync(b, embedder=counting_embedder)
    assert sb.chunks > sa.chunks
    assert sync(a, embedder=counting_embedder).embedded_chunks == 0


@pytest.mark.slow
def test_killed_ingest_is_repaired_to_the_exact_state(tmp_path, corpus_papers):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_compact(seeds / "big.txt", list(corpus_papers.values())[:160])
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "ingest.py"), "--seeds", str(seeds), "--data-dir", str(data)],
        cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
    )
    seen = b""
    deadline = time.monotonic() + 300
    while b"128/" not in seen and time.monotonic() < deadline:  # the first batch of chunks is in Chroma
        chunk = os.read(proc.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, seen.decode(errors="replace")[-500:]
    settings = load_settings(data_dir=str(data), seeds_dir=str(seeds))
    assert verify(settings)  # the kill left the index incomplete
    repaired = last_json(run_ingest("--seeds", str(seeds), "--data-dir", str(data), "--json").stdout)
    assert 0 < repaired["embedded_chunks"] < repaired["chunks"]  # finished the work, did not redo it
    assert repaired["papers"] == 160
    assert verify(settings) == []
    assert run_ingest("--seeds", str(seeds), "--data-dir", str(data), "--json").returncode == 0


def paper_meta(settings, paper_id: str) -> dict:
    """The stored metadata of a paper's first chunk, read through the store's public iterator."""
    return next(meta for _, meta, _ in Store(settings).iter_metadata() if meta["paper_id"] == paper_id and meta["chunk_index"] == 0)
