"""Settings precedence and collection naming."""

from __future__ import annotations

import pytest

from rag.config import load_settings
from rag.errors import ConfigError


def test_precedence_defaults_toml_env_flags(tmp_path, monkeypatch):
    toml = tmp_path / "rag.toml"
    toml.write_text('data_dir = "/from/toml"\n[llm]\ntemperature = 0.9\nmax_tokens = 111\n[retrieve]\nk = 4\n')
    monkeypatch.setenv("RAG_CONFIG", str(toml))
    s = load_settings()
    assert (str(s.data_dir), s.llm.temperature, s.llm.max_tokens, s.retrieve.k) == ("/from/toml", 0.9, 111, 4)
    monkeypatch.setenv("RAG_LLM__TEMPERATURE", "0.3")
    monkeypatch.setenv("RAG_DATA_DIR", "/from/env")
    s = load_settings()
    assert (str(s.data_dir), s.llm.temperature, s.llm.max_tokens) == ("/from/env", 0.3, 111)
    s = load_settings(**{"data_dir": "/from/flag", "llm.temperature": 0.0})
    assert (str(s.data_dir), s.llm.temperature, s.retrieve.k) == ("/from/flag", 0.0, 4)
    assert load_settings().llm.backend == "auto"  # the default survives


def test_collection_name_encodes_what_changes_vectors():
    base = load_settings()
    assert load_settings(**{"chunk.size": 200}).collection_name != base.collection_name
    assert load_settings(**{"chunk.overlap": 0}).collection_name != base.collection_name
    assert load_settings(**{"embed.backend": "ollama", "embed.model": "nomic-embed-text"}).collection_name != base.collection_name
    assert load_settings(**{"llm.temperature": 1.0}).collection_name == base.collection_name


def test_invalid_settings_are_reported():
    with pytest.raises(ConfigError, match="overlap"):
        load_settings(**{"chunk.size": 64, "chunk.overlap": 64})
    with pytest.raises(ConfigError):
        load_settings(**{"llm.backend": "gpt-9"})


def test_config_file_is_passed_explicitly(tmp_path):
    toml = tmp_path / "mine.toml"
    toml.write_text("[retrieve]\nk = 7\n")
    assert load_settings(toml).retrieve.k == 7 and load_settings().retrieve.k == 5  # nothing leaks into the environment
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="llm.backend"):
        load_settings(**{"llm.backend": "gpt5"})
