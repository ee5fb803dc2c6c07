"""Build or update the paper index from seeds/*.txt: `python ingest.py [--seeds DIR] [--data-dir DIR] [--rebuild] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    """Run one incremental sync and print its summary; exit 1 if a seed file failed, 2 on an error."""
    from rag.cli_common import add_common_args, settings_from_args
    from rag.errors import RagError

    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    parser.add_argument("--rebuild", action="store_true", help="drop the collection and embed everything again")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on the last line")
    parser.add_argument("--wait", type=float, default=0.0, help="seconds to wait if another ingest is running")
    args = parser.parse_args(argv)
    try:
        from rag.sync import sync

        settings = settings_from_args(args)
        summary = sync(
            settings,
            rebuild=args.rebuild,
            progress=sys.stderr.isatty() or not args.json,
            wait=args.wait,
            log=lambda msg: print(msg, file=sys.stderr),
        )
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    s, failed = summary, summary.failed_files
    print(
        f"{s.papers} papers ({s.listings} listings in {s.files} files): {s.added} added, {s.updated} updated, "
        f"{s.metadata_updated} metadata updated, {s.removed} removed, {s.unchanged} unchanged; "
        f"{s.embedded_chunks} chunks embedded, {s.chunks} in the index; {s.seconds:.1f} s"
        + (f" ({s.encoder_seconds:.1f} s embedding)" if s.embedded_chunks else "")
        + (f"; {len(failed)} file(s) FAILED" if failed else "")
    )
    if args.json:
        print(json.dumps(summary.to_dict()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
