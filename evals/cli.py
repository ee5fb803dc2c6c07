"""`python -m evals [--split dev|test|all] [--batch NAMES] [--retrieval-only] [--limit N] [--out DIR] [--data-dir DIR] [--check]`."""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

from evals import answers, data, report, retrieval, stages

HERE = Path(__file__).resolve().parent
KINDS = ("single", "single_hard", "multi", "unanswerable", "nearmiss")


def check(result: dict, path: Path = HERE / "thresholds.toml") -> list[dict]:
    """Compare the run's metrics with thresholds.toml; each row says metric, value, threshold, ok."""
    th = tomllib.loads(path.read_text())
    rows = []
    all_ret = result.get("retrieval", {})
    ret = all_ret.get("hybrid", {})
    if ret:
        names = {"recall_at_5": "recall@5", "recall_at_10": "recall@10", "mrr_at_10": "mrr@10"}
        for key, v in th["retrieval"].items():
            kind = next(k for k in ("single_hard", "single", "multi") if key.startswith(k + "_"))
            metric = names[key[len(kind) + 1 :]]
            got = ret.get(kind, {}).get(metric)
            rows.append({"metric": key, "value": got, "threshold": v, "op": ">=", "ok": got is not None and got >= v})
        margin = th.get("hybrid_vs_single", {}).get("margin")
        if margin is not None:  # the hybrid is not worse than the better single retriever, on every kind
            for kind in ("single", "single_hard", "multi"):
                for metric in ("recall@5", "mrr@10"):
                    singles = [all_ret.get(m, {}).get(kind, {}).get(metric) for m in ("dense", "bm25")]
                    best, got = max((x for x in singles if x is not None), default=None), ret.get(kind, {}).get(metric)
                    if best is not None and got is not None:
                        rows.append({"metric": f"hybrid {kind} {metric} vs best single", "value": got - best,
                                     "threshold": -margin, "op": ">=", "ok": got >= best - margin})
    ours = result.get("answers", {}).get("paperchat")
    if ours:
        s = ours["summary"]
        for k, v in th["answers"].items():
            if k.endswith("_max"):
                name = k[: -len("_max")]
                rows.append({"metric": name, "value": s.get(name), "threshold": v, "op": "<=",
                             "ok": s.get(name) is not None and s[name] <= v})
            else:
                rows.append({"metric": k, "value": s.get(k), "threshold": v, "op": ">=", "ok": s.get(k) is not None and s[k] >= v})
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the evals and write report.md, results.json and chart.png."""
    from rag import prompts
    from rag.cli_common import add_common_args, settings_from_args
    from rag.errors import RagError

    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    add_common_args(p)
    p.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    p.add_argument("--retrieval-only", action="store_true", help="skip the LLM (fast)")
    p.add_argument("--limit", type=int, default=0, help="use only the first N questions of each kind")
    p.add_argument("--batch", default="", help="only these question sets, comma-separated (dev-1220; original = the first ones)")
    p.add_argument("--out", default="evals/out", help="output folder")
    p.add_argument("--no-peer", action="store_true", help="skip LlamaIndex's CitationQueryEngine")
    p.add_argument("--peer-limit", type=int, default=0, help="run the (slow) peer on only the first N questions of each kind")
    p.add_argument("--reuse-peer", help="score the peer answers stored in this results.json instead of generating them again")
    p.add_argument("--judge", choices=["scorer", "llm"], default="scorer", help="support judge (llm uses --judge-backend)")
    p.add_argument("--judge-backend", choices=["ollama", "openai"], default="ollama")
    p.add_argument("--judge-model", default="")
    p.add_argument("--check", action="store_true", help="exit 1 if a metric misses evals/thresholds.toml")
    args = p.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    try:
        settings = settings_from_args(args)
        questions = data.load_questions(args.split)
        if args.batch:
            try:
                questions = data.only_batches(questions, [b.strip() for b in args.batch.split(",") if b.strip()])
            except ValueError as exc:
                p.error(str(exc))
        if args.limit:
            questions = [q for kind in KINDS for q in [x for x in questions if x["kind"] == kind][: args.limit]]
        from rag.retrieve import HybridRetriever

        retriever = HybridRetriever(settings)
        result = {"split": args.split, "batch": args.batch or "all", "n_questions": len(questions),
                  "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                  "settings": {**settings.model_dump(mode="json"), "collection": settings.collection_name},
                  "prompt_hashes": prompts.prompt_hashes()}
        log(f"retrieval over {len(questions)} questions")
        judged = data.load_relevance()  # blind relevance of the multi questions' papers, for retrieval and the lists
        result["retrieval"], result["retrieval_rows"] = retrieval.run(retriever, questions, judged=judged)
        if not args.retrieval_only:
            _answers(args, settings, retriever, questions, result, log, judged)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        result["check"] = check(result)
    paths = report.write(result, Path(args.out))
    print(report.markdown(result))
    print(f"wrote {paths['report']}, {paths['json']}, {paths['chart']}", file=sys.stderr)
    if args.check and not all(c["ok"] for c in result["check"]):
        print("threshold check FAILED: " + ", ".join(c["metric"] for c in result["check"] if not c["ok"]), file=sys.stderr)
        return 1
    return 0


def _answers(args, settings, retriever, questions, result, log, judged: dict[str, dict[str, bool]]) -> None:
    from evals.judge import LLMJudge, ScorerJudge
    from rag.answer import Pipeline
    from rag.config import load_settings
    from rag.llms import get_llm
    from rag.seeds import load_seeds

    pipeline = Pipeline.build(settings, retriever=retriever)
    judge = ScorerJudge(pipeline.checker)
    if args.judge == "llm":
        judge_settings = load_settings(**{"llm.backend": args.judge_backend, "llm.model": args.judge_model})
        judge = LLMJudge(get_llm(judge_settings.llm))
    result["judge"] = judge.name
    by_id = {q["id"]: q for q in questions}
    embed = retriever.embedder.embed
    records = answers.run_ours(pipeline, questions, log)
    result["answers"] = {}
    for name, raw in (("paperchat", False), ("paperchat-unchecked", True)):
        summary, rows = answers.score(records, by_id, judge, embed, use_raw=raw, judged=judged)
        result["answers"][name] = {"summary": summary, "rows": rows}
    result["answers"]["paperchat"]["records"] = [
        {k: v for k, v in r.items() if k != "sources"} | {"sources": [s.paper_id for s in r["sources"]]} for r in records]
    result["answers"]["paperchat"]["stages"] = stages.losses(result["answers"]["paperchat"]["records"], by_id)
    if not args.no_peer:
        from evals.peer import Peer

        peer_qs = questions
        if args.reuse_peer:
            peer_qs = [q for q in questions if q["id"] in answers.peer_ids(args.reuse_peer)]
        elif args.peer_limit:
            peer_qs = [q for kind in KINDS for q in [x for x in questions if x["kind"] == kind][: args.peer_limit]]
        if len(peer_qs) < len(questions):
            ids = {q["id"] for q in peer_qs}  # ours on the same subset too, for a like-for-like column
            sub = [r for r in records if r["id"] in ids]
            summary, rows = answers.score(sub, by_id, judge, embed, judged=judged)
            result["answers"]["paperchat (peer subset)"] = {"summary": summary, "rows": rows}
        peer_records = (answers.load_peer(args.reuse_peer, settings) if args.reuse_peer
                        else answers.run_peer(Peer(settings, retriever.store, pipeline.llm, settings.retrieve.k), peer_qs, log))
        summary, rows = answers.score(peer_records, by_id, judge, embed, judged=judged)
        result["answers"][Peer.name] = {"summary": summary, "rows": rows, "records": [
            {k: v for k, v in r.items() if k != "sources"} | {"sources": [s.paper_id for s in r["sources"]]} for r in peer_records]}
    papers = load_seeds(settings.seeds_dir).papers
    result["judge_agreement"] = answers.judge_agreement(judge, data.load_labels(), papers)
    result["checker_vs_blind"] = answers.checker_vs_blind(pipeline.checker, data.load_answer_labels(), papers)
