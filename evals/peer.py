"""The peer system: LlamaIndex's stock CitationQueryEngine over the same Chroma collection, embedder and LLM."""

from __future__ import annotations

import time
from typing import Any

from rag.types import Source


def adapter(llm, max_tokens: int):
    """Our LLM backend as a LlamaIndex CustomLLM (completion = one user message), so the peer uses the same model."""
    from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
    from llama_index.core.llms.callbacks import llm_completion_callback
    from pydantic import PrivateAttr

    class RagLLM(CustomLLM):
        context_window: int = 4096
        num_output: int = max_tokens
        _inner: Any = PrivateAttr()

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(context_window=self.context_window, num_output=self.num_output, model_name=llm.name)

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            text = "".join(self._inner.stream([{"role": "user", "content": prompt}], temperature=0.1, max_tokens=self.num_output))
            return CompletionResponse(text=text)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
            text = ""
            for tok in self._inner.stream([{"role": "user", "content": prompt}], temperature=0.1, max_tokens=self.num_output):
                text += tok
                yield CompletionResponse(text=text, delta=tok)

    out = RagLLM()
    out._inner = llm
    return out


class Peer:
    """CitationQueryEngine with default settings except top-k (same k as ours) and our LLM and embedding model."""

    name = "llamaindex-citation"

    def __init__(self, settings, store, llm, k: int):
        from llama_index.core import VectorStoreIndex
        from llama_index.core.query_engine import CitationQueryEngine
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from rag.embeddings import minilm_dir

        embed = HuggingFaceEmbedding(model_name=str(minilm_dir()), device="cpu")
        index = VectorStoreIndex.from_vector_store(store.vector_store(), embed_model=embed)
        self.engine = CitationQueryEngine.from_args(index, llm=adapter(llm, settings.llm.max_tokens), similarity_top_k=k)

    def answer(self, question: str) -> dict:
        """Text, numbered sources (paper ids) and timings for one question."""
        t0 = time.perf_counter()
        resp = self.engine.query(question)
        sources = []
        for i, nws in enumerate(resp.source_nodes, start=1):
            meta = nws.node.metadata
            sources.append(Source(n=i, paper_id=meta.get("paper_id", ""), title=meta.get("title", ""),
                                  abstract=meta.get("abstract", nws.node.get_content()), text=nws.node.get_content(), score=0.0))
        return {"text": str(resp.response or ""), "sources": sources, "timings": {"total_s": time.perf_counter() - t0}}
