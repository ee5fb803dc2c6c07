"""`python -m rag search|ask|check`: the pipeline from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .cli_common import add_common_args, settings_from_args
from .errors import RagError
from .render import CLOSEST


def _filters(args: argparse.Namespace):
    from .schema import Filters

    return Filters(date_from=args.date_from, date_to=args.date_to, seed_files=tuple(args.seed_file or ()))


def cmd_search(args: argparse.Namespace) -> int:
    """Ranked papers for a question."""
    from .retrieve import HybridRetriever

    settings = settings_from_args(args)
    sources = HybridRetriever(settings).search(args.question, k=args.k, filters=_filters(args), mode=args.mode)
    if args.json:
        print(json.dumps([{"paper_id": s.paper_id, "title": s.title, "score": round(s.score, 6)} for s in sources]))
    else:
        for s in sources:
            print(f"{s.n:>2}. {s.title}  ({s.paper_id}, score {s.score:.4f})")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Stream an answer, then the checked answer with its numbered references."""
    from .answer import Pipeline
    from .types import Answer

    settings = settings_from_args(args, **({"llm.temperature": args.temperature} if args.temperature is not None else {}))
    pipeline = Pipeline.build(settings)
    answer = None
    streamed = False
    for item in pipeline.ask_stream(args.question, k=args.k, filters=_filters(args)):
        if isinstance(item, Answer):
            answer = item
        elif not args.json:
            print(item, end="", flush=True)
            streamed = True
    assert answer is not None
    if args.json:
        from .render import answer_json

        print(json.dumps(answer_json(answer)))
        return 0
    if streamed:
        print(f"\n\n--- {'checked' if answer.mode == 'generated' else answer.mode} answer ---")
    print(answer.text)
    if answer.evidence:
        print(f"\n{CLOSEST}" if answer.refused else "\nEvidence:")
        for e in answer.evidence:
            print(f"  [{e.n}] “{e.sentence}”")
    cited = {c.n for c in answer.citations}
    if cited:
        print("\nReferences:")
        for s in answer.sources:
            if s.n in cited:
                print(f"[{s.n}] {s.title} ({s.paper_id})")
    for sentence in answer.unsupported:
        print(f"\n(removed, not supported by the sources: {sentence})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Compare the index with the seeds; exit 1 if they differ."""
    from .sync import verify

    problems = verify(settings_from_args(args))
    for p in problems:
        print(p)
    print("index matches the seeds" if not problems else f"{len(problems)} problem(s): run `python ingest.py`")
    return 1 if problems else 0


def cmd_tune(args: argparse.Namespace) -> int:
    """Fine-tune the evidence selector's encoder on the dev questions (skipped when up to date)."""
    from pathlib import Path

    from .tuning import train

    train(settings_from_args(args), Path(args.questions))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m rag", description="Search and ask the paper corpus.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, fn, help_ in (("search", cmd_search, "ranked papers"), ("ask", cmd_ask, "a cited answer"),
                            ("check", cmd_check, "compare the index with the seeds"),
                            ("tune", cmd_tune, "fine-tune the evidence selector's encoder")):
        p = sub.add_parser(name, help=help_)
        add_common_args(p)
        p.set_defaults(fn=fn)
        if name == "tune":
            p.add_argument("--questions", default="evals/questions.jsonl", help="questions with evidence quotes (dev split)")
        if name in ("check", "tune"):
            continue
        p.add_argument("question")
        p.add_argument("-k", type=int, default=None, help="number of papers (default: retrieve.k)")
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--date-from", help="only papers dated on/after YYYY-MM-DD")
        p.add_argument("--date-to", help="only papers dated on/before YYYY-MM-DD")
        p.add_argument("--seed-file", action="append", help="only papers from this dump (repeatable)")
        if name == "search":
            p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
        else:
            p.add_argument("--temperature", type=float, default=None)
    args = parser.parse_args(argv)
    if getattr(args, "k", None) is None and args.command == "search":
        args.k = 10
    try:
        return args.fn(args)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
