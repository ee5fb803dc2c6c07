"""paperchat in the browser (placeholder until the UI lands): makes sure the index is built, then says how to ask."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Ingest the seeds if needed, then point at the CLI."""
    from rag.cli_common import add_common_args, settings_from_args
    from rag.errors import RagError
    from rag.sync import sync

    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    args = parser.parse_args(argv)
    try:
        summary = sync(settings_from_args(args), progress=True, log=lambda m: print(m, file=sys.stderr))
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"index ready: {summary['papers']} papers, {summary['chunks']} chunks. The chat UI is not built yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
