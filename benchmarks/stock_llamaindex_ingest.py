"""The peer for the ingest benchmark: stock LlamaIndex (VectorStoreIndex over Chroma, default settings) on the same
papers and embedding model. Run as a script; prints one JSON line. Every run embeds everything again: stock
VectorStoreIndex has no change detection without an IngestionPipeline + docstore."""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    seeds, data = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    os.environ["HF_HUB_OFFLINE"] = "1"
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.embeddings import minilm_dir
    from rag.seeds import load_seeds

    papers = load_seeds(__import__("pathlib").Path(seeds)).papers.values()
    docs = [Document(text=f"{p.title}\n{p.abstract}", metadata={"paper_id": p.paper_id, "title": p.title}) for p in papers]
    client = chromadb.PersistentClient(path=data, settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("stock")
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    embed = HuggingFaceEmbedding(model_name=str(minilm_dir()), device="cpu")
    VectorStoreIndex.from_documents(docs, storage_context=storage, embed_model=embed)
    print(json.dumps({"papers": len(docs), "chunks": collection.count(), "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
