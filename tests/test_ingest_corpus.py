"""Acceptance of the ingestion issue on the shipped corpus: `python ingest.py --json` twice."""

from __future__ import annotations

import pytest

from rag.sync import verify
from tests.conftest import last_json, run_ingest


@pytest.mark.slow
def test_full_ingest_reports_531_papers_and_noop_second_run(corpus_ingest):
    settings, first = corpus_ingest
    assert (first["papers"], first["listings"], first["files"]) == (531, 599, 5)
    assert first["added"] == 531 and first["failed_files"] == []
    assert first["chunks"] == first["embedded_chunks"] > 531  # long abstracts were split
    proc = run_ingest("--seeds", str(settings.seeds_dir), "--data-dir", str(settings.data_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    second = last_json(proc.stdout)
    assert (second["added"], second["updated"], second["removed"], second["metadata_updated"]) == (0, 0, 0, 0)
    assert second["embedded_chunks"] == 0 and second["unchanged"] == 531
    assert verify(settings) == []
