# The two commands of the README: `make chat` and `make test`.
.PHONY: setup chat ingest test test-fast

setup:
	bash scripts/setup.sh
	HF_HUB_OFFLINE=1 .venv/bin/python -m rag tune  # the evidence selector's encoder, trained once (~13 min on 2 cores)

chat: setup
	.venv/bin/python app.py

ingest: setup
	.venv/bin/python ingest.py

test: setup
	bash scripts/test-deps.sh
	.venv/bin/python -m pytest

test-fast: setup
	.venv/bin/python -m pytest -m "not slow and not browser"
