"""The ONNX Runtime encoder: the same vectors as sentence-transformers, exported once, no torch when cached."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rag.config import EmbedSettings
from rag.embeddings import MiniLMEmbedder, get_embedder, minilm_dir
from rag.onnx_encoder import OnnxMiniLM, ensure_int8, ensure_onnx, onnx_path

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def torch_reference():
    return MiniLMEmbedder()


def _chunks(corpus_papers, n: int = 60) -> list[str]:
    from rag.chunking import chunk_paper
    from rag.config import ChunkSettings

    return [c.text for p in list(corpus_papers.values())[:n] for c in chunk_paper(p, ChunkSettings())]


def test_fp32_onnx_embedder_gives_the_torch_vectors_on_real_chunks(corpus_papers, torch_reference):
    onnx = get_embedder(EmbedSettings(precision="fp32"))
    assert isinstance(onnx, OnnxMiniLM) and "int8" not in onnx.path.name
    texts = _chunks(corpus_papers)
    texts += ["a", "which paper merges fine-tuned models?", "x " * 400]  # one word piece, a question, past the window
    got, want = onnx.embed(texts), torch_reference.embed(texts)
    cosines = [sum(a * b for a, b in zip(g, w)) for g, w in zip(got, want)]
    assert min(cosines) > 0.9999
    assert onnx.embed(["only one"])[0] == pytest.approx(onnx.embed(["only one", "and another, longer text"])[0], abs=1e-5)


def test_default_embedder_is_int8_and_stays_within_cosine_0_99_of_torch(corpus_papers, torch_reference, tmp_path):
    default = get_embedder(EmbedSettings())
    assert isinstance(default, OnnxMiniLM) and default.path.name.endswith("-int8v2.onnx")
    texts = _chunks(corpus_papers) + ["which paper merges fine-tuned models?", "retrieval augmented generation"]
    cosines = [sum(a * b for a, b in zip(g, w)) for g, w in zip(default.embed(texts), torch_reference.embed(texts))]
    assert 0.99 <= min(cosines) < 0.9999  # close, and really quantised
    fp32 = tmp_path / "minilm.onnx"  # a copy of the cached export: quantised afresh here
    fp32.write_bytes(ensure_onnx(minilm_dir(), EmbedSettings().cache_dir).read_bytes())
    int8 = ensure_int8(fp32, minilm_dir())
    assert json.loads(int8.with_suffix(".verified.json").read_text())["min_cosine"] >= 0.99
    mtime = int8.stat().st_mtime_ns
    assert ensure_int8(fp32, minilm_dir()).stat().st_mtime_ns == mtime  # cached: not quantised again
    import onnx

    ops = [n.op_type for n in onnx.load(str(int8)).graph.node]
    assert ops.count("MatMul") == 6 * 2 + 2  # per layer: attention scores and mixing; the feed-forward output of two
    assert ops.count("MatMulInteger") == 6 * 5 + 4  # q, k, v, attention output, feed-forward input; four outputs


def test_an_int8_model_that_strays_is_refused_and_nothing_is_kept(tmp_path, monkeypatch):
    import rag.onnx_encoder as encoder
    from rag.errors import ModelMissing

    monkeypatch.setattr(encoder, "INT8_MIN_COSINE", 1.0001)  # no quantised model can pass this
    fp32 = tmp_path / "minilm.onnx"
    fp32.write_bytes(ensure_onnx(minilm_dir(), EmbedSettings().cache_dir).read_bytes())
    with pytest.raises(ModelMissing, match='embed.precision = "fp32"'):
        ensure_int8(fp32, minilm_dir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minilm.onnx"]  # no int8 file, no marker, no temp file


def test_int8_and_fp32_vectors_never_share_a_collection():
    from rag.config import Settings

    names = {Settings(embed=EmbedSettings(precision=p, runtime=r)).collection_name
             for p, r in (("int8", "onnx"), ("fp32", "onnx"), ("fp32", "torch"), ("int8", "torch"))}
    assert len(names) == 2  # int8 apart; fp32 ONNX and torch give the same vectors and share one


def test_export_is_cached_checked_and_redone_when_its_marker_is_gone(tmp_path):
    path = ensure_onnx(minilm_dir(), tmp_path)
    marker = json.loads(path.with_suffix(".verified.json").read_text())
    assert path == onnx_path(minilm_dir(), tmp_path) and marker["min_cosine"] > 0.9999
    mtime = path.stat().st_mtime_ns
    assert ensure_onnx(minilm_dir(), tmp_path).stat().st_mtime_ns == mtime  # cached: not exported again
    path.with_suffix(".verified.json").unlink()
    path.write_bytes(b"half a file")  # an export killed midway is never trusted
    assert ensure_onnx(minilm_dir(), tmp_path).stat().st_size > 50_000_000


def test_unwritable_cache_falls_back_to_torch_with_the_same_vectors(tmp_path, caplog):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    embedder = get_embedder(EmbedSettings(cache_dir=blocked / "models"))
    assert isinstance(embedder, MiniLMEmbedder)
    assert "embedding with torch instead" in caplog.text


def test_ingest_never_imports_torch_even_when_it_exports_the_encoder(tmp_path):
    """The one-time export runs torch in a child process; the ingest (and the app) only load ONNX Runtime."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    first = sorted((ROOT / "seeds").glob("*.txt"))[0]
    (seeds / first.name).write_text("\n".join(first.read_text().splitlines()[:26]) + "\n")
    code = (
        "import sys, ingest; rc = ingest.main(['--seeds', sys.argv[1], '--data-dir', sys.argv[2]]);"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules, 'torch was imported';"
        "sys.exit(rc)"
    )
    env = {**__import__("os").environ, "RAG_EMBED__CACHE_DIR": str(tmp_path / "models")}
    out = subprocess.run([sys.executable, "-c", code, str(seeds), str(tmp_path / "data")], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "chunks embedded" in out.stdout and list((tmp_path / "models").glob("*.verified.json"))
