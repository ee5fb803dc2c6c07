"""Flags every entry point shares, mapped onto settings overrides (the highest-priority source)."""

from __future__ import annotations

import argparse
from typing import Any

from .config import LLM_BACKENDS, Settings, load_settings


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """--data-dir, --seeds, --config and the backend switches."""
    parser.add_argument("--data-dir", help="index folder (default: data, or RAG_DATA_DIR)")
    parser.add_argument("--seeds", dest="seeds_dir", help="seed dumps folder (default: seeds)")
    parser.add_argument("--config", help="settings file (default: rag.toml, or RAG_CONFIG)")
    parser.add_argument("--chroma-host", help="use a Chroma server instead of the embedded index")
    parser.add_argument("--chroma-port", type=int, help="Chroma server port")
    parser.add_argument("--llm", dest="llm_backend", choices=LLM_BACKENDS, help="LLM backend (auto: Ollama if it runs with a chat model, else embedded)")
    parser.add_argument("--model", dest="llm_model", help="model name for the ollama/openai backends")


def settings_from_args(args: argparse.Namespace, **extra: Any) -> Settings:
    """Settings with the flags that were given applied on top of file and environment."""
    overrides = {
        "data_dir": getattr(args, "data_dir", None),
        "seeds_dir": getattr(args, "seeds_dir", None),
        "chroma.host": getattr(args, "chroma_host", None),
        "chroma.port": getattr(args, "chroma_port", None),
        "llm.backend": getattr(args, "llm_backend", None),
        "llm.model": getattr(args, "llm_model", None),
    }
    return load_settings(getattr(args, "config", None), **overrides, **extra)
