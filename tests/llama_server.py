"""`python -m llama_cpp.server` with the embedded backend's weight-repacking rule (llm.repack = auto): on a CPU with
AMX the stock server's repacked weights crash llama.cpp's decode, as the embedded model's did."""

from __future__ import annotations

import sys

from llama_cpp.server.__main__ import main

from rag.llms import repacks, weight_repacking

if __name__ == "__main__":
    with weight_repacking(repacks("auto")):
        sys.exit(main())
