"""The Ollama backend at its HTTP boundary: a local server speaking Ollama's API (no real Ollama exists here)."""

from __future__ import annotations

import socket

import pytest

from rag.config import LLMSettings, load_settings
from rag.embeddings import OllamaEmbedder
from rag.errors import BackendUnavailable, GenerationError, ModelMissing
from rag.llm_servers import OllamaLLM
from tests.fake_ollama import FakeOllama

MSGS = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]


def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def ollama(url: str, model: str = "qwen2.5:3b", **kw) -> OllamaLLM:
    return OllamaLLM(LLMSettings(backend="ollama", model=model, ollama_host=url, timeout=5, **kw))


def test_streams_tokens_in_order_and_sends_the_messages():
    with FakeOllama(reply="The answer is here [1].", token_delay=0.01) as srv:
        llm = ollama(srv.url)
        llm.check()
        deltas = list(llm.stream(MSGS, temperature=0.2, max_tokens=50))
        assert len(deltas) == 5 and "".join(deltas) == "The answer is here [1]."
        body = srv.chats()[0]
        assert body["model"] == "qwen2.5:3b" and body["stream"] is True
        assert body["messages"] == MSGS
        assert body["options"]["temperature"] == 0.2 and body["options"]["num_predict"] == 50


def test_unreachable_server_names_the_url_and_ollama_serve():
    url = closed_port_url()
    llm = ollama(url)
    with pytest.raises(BackendUnavailable) as info:
        list(llm.stream(MSGS, temperature=0.1, max_tokens=10))
    assert url in str(info.value) and "ollama serve" in str(info.value)
    with pytest.raises(BackendUnavailable):
        llm.check()


def test_missing_model_says_ollama_pull():
    with FakeOllama(models=["llama3.2:1b"]) as srv:
        llm = ollama(srv.url, model="qwen2.5:3b")
        with pytest.raises(ModelMissing, match=r"ollama pull qwen2.5:3b"):
            llm.check()
        with pytest.raises(ModelMissing, match=r"ollama pull qwen2.5:3b"):
            list(llm.stream(MSGS, temperature=0.1, max_tokens=10))


def test_stream_cut_midway_raises_a_generation_error_after_partial_text():
    with FakeOllama(reply="one two three four five six", die_after=3) as srv:
        got = []
        with pytest.raises(GenerationError):
            for tok in ollama(srv.url).stream(MSGS, temperature=0.1, max_tokens=10):
                got.append(tok)
        assert "".join(got) == "one two three "


def test_ollama_embeddings_over_http():
    with FakeOllama(models=["nomic-embed-text"]) as srv:
        emb = OllamaEmbedder("nomic-embed-text", srv.url)
        vecs = emb.embed(["a", "abcd"])
        assert len(vecs) == 2 and all(abs(sum(x * x for x in v) - 1) < 1e-6 for v in vecs)
    with pytest.raises(BackendUnavailable, match="ollama serve"):
        OllamaEmbedder("nomic-embed-text", closed_port_url()).embed(["a"])


def test_pipeline_answers_through_ollama_with_a_verified_citation(slice_settings, real_embedder):
    from rag.answer import Pipeline
    from rag.retrieve import HybridRetriever

    reply = "Selective activation recomputation and sequence parallelism reduce activation memory by 5x [1]."
    with FakeOllama(reply=reply) as srv:
        settings = load_settings(data_dir=str(slice_settings.data_dir), seeds_dir=str(slice_settings.seeds_dir),
                                 **{"llm.backend": "ollama", "llm.ollama_host": srv.url})
        pipe = Pipeline.build(settings, retriever=HybridRetriever(settings, embedder=real_embedder))
        answer = pipe.ask("How much does selective activation recomputation reduce activation memory?")
        assert not answer.refused
        assert answer.citations[0].paper_id == "reducing-activation-recomputation-in-large-trans-d90bd815"
        assert "Reducing Activation Recomputation" in srv.chats()[0]["messages"][-1]["content"]


def test_pipeline_marks_an_interrupted_answer(slice_settings, real_embedder):
    from rag.answer import Pipeline
    from rag.retrieve import HybridRetriever

    reply = "Selective activation recomputation reduces activation memory by 5x [1]. It also cuts overhead by over 90% [1]."
    with FakeOllama(reply=reply, die_after=11) as srv:
        settings = load_settings(data_dir=str(slice_settings.data_dir), seeds_dir=str(slice_settings.seeds_dir),
                                 **{"llm.backend": "ollama", "llm.ollama_host": srv.url})
        pipe = Pipeline.build(settings, retriever=HybridRetriever(settings, embedder=real_embedder))
        answer = pipe.ask("How much does selective activation recomputation reduce activation memory?")
        assert answer.interrupted and "90%" not in answer.raw


@pytest.mark.parametrize("models, expected", [(["nomic-embed-text", "qwen2.5:3b"], "ollama:qwen2.5:3b"),
                                               (["nomic-embed-text"], "llamacpp"), (None, "llamacpp")])
def test_auto_backend_uses_ollama_only_when_it_runs_with_a_chat_model(models, expected):
    """backend=auto: Ollama up with a chat model -> Ollama; up with only an embedding model, or down -> embedded."""
    from rag.llms import resolve
    from tests.app_proc import free_port

    if models is None:  # nothing listens on this port
        settings = LLMSettings(backend="auto", ollama_host=f"http://127.0.0.1:{free_port()}")
        assert resolve(settings).backend == expected
        return
    with FakeOllama(models=models) as srv:
        got = resolve(LLMSettings(backend="auto", ollama_host=srv.url))
    assert (f"{got.backend}:{got.model}" if got.backend == "ollama" else got.backend) == expected


def test_auto_backend_names_the_model_in_ask_json(slice_settings):
    """`python -m rag ask --json` with an Ollama server running: the answer says which model answered."""
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    reply = "Selective activation recomputation reduces activation memory by 5x [1]."
    with FakeOllama(models=["qwen2.5:3b"], reply=reply) as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "rag", "ask", "How much does selective activation recomputation reduce activation memory?",
             "--json", "--data-dir", str(slice_settings.data_dir)],
            capture_output=True, text=True, timeout=300, cwd=ROOT, env={**__import__("os").environ, "RAG_LLM__OLLAMA_HOST": srv.url})
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["llm"] == "ollama:qwen2.5:3b" and not out["refused"], (out, proc.stderr[-1500:])
