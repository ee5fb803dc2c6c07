"""paperchat's eval suite: `python -m evals` (see evals/cli.py)."""
