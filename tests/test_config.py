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


def test_weight_repacking_is_off_on_amx_cpus_unless_asked(tmp_path, monkeypatch):
    """llama.cpp's AMX buffers crash decode (a segfault on a Sapphire Rapids CPU): auto leaves them out there."""
    from rag import llms

    amx, plain = tmp_path / "amx", tmp_path / "plain"
    amx.write_text("processor\t: 0\nflags\t\t: fpu avx512f amx_bf16 amx_tile amx_int8\n")
    plain.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f\n")
    assert llms.cpu_has_amx(str(amx)) and not llms.cpu_has_amx(str(plain)) and not llms.cpu_has_amx(str(tmp_path / "none"))
    monkeypatch.setattr(llms, "cpu_has_amx", lambda: True)
    assert (llms.repacks("auto"), llms.repacks("on"), llms.repacks("off")) == (False, True, False)
    monkeypatch.setattr(llms, "cpu_has_amx", lambda: False)
    assert llms.repacks("auto") is True
    with pytest.raises(ConfigError, match="llm.repack"):
        load_settings(**{"llm.repack": "sometimes"})
