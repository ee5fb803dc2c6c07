"""The OpenAI-compatible backend against a real llama_cpp.server process on loopback serving the bundled GGUF (started
through tests/llama_server.py, which keeps the embedded backend's AMX rule)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from rag.config import LLMSettings, load_settings
from rag.errors import BackendUnavailable
from rag.llm_servers import OpenAILLM
from rag.modelfile import ensure_gguf
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("w+b")
    gguf = ensure_gguf(LLMSettings().model_cache_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.llama_server", "--model", str(gguf), "--model_alias", "qwen-0.5b",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,  # a file, not a pipe: llama.cpp logs a lot while loading
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/models", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.seek(0)
                pytest.fail("llama_cpp.server did not start:\n" + log.read().decode(errors="replace")[-2000:])
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_streams_from_a_real_llama_cpp_server(llama_server):
    llm = OpenAILLM(LLMSettings(backend="openai", model="qwen-0.5b", openai_base_url=llama_server))
    llm.check()
    deltas = list(llm.stream([{"role": "user", "content": "Say the word hello."}], temperature=0.0, max_tokens=12))
    assert len(deltas) > 1 and "hello" in "".join(deltas).lower()


def test_cited_answer_through_the_openai_backend(llama_server, corpus_settings, real_embedder):
    from rag.answer import Pipeline
    from rag.retrieve import HybridRetriever

    settings = load_settings(
        data_dir=str(corpus_settings.data_dir),
        **{"llm.backend": "openai", "llm.openai_base_url": llama_server, "llm.model": "qwen-0.5b"},
    )
    pipe = Pipeline.build(settings, retriever=HybridRetriever(settings, embedder=real_embedder))
    answer = pipe.ask("How many inference outcomes are in the benchmark for routing queries among multiple LLMs?")
    assert not answer.refused, answer.raw
    assert any(c.paper_id == "routerbench-a-benchmark-for-multi-llm-67bb6300" and c.verified for c in answer.citations)


def test_unreachable_openai_server_is_a_clear_error():
    port = free_port()
    llm = OpenAILLM(LLMSettings(backend="openai", openai_base_url=f"http://127.0.0.1:{port}/v1", timeout=5))
    with pytest.raises(BackendUnavailable, match=f"127.0.0.1:{port}"):
        list(llm.stream([{"role": "user", "content": "hi"}], temperature=0.0, max_tokens=5))
