"""Validate evals/questions.jsonl and evals/labels.jsonl against the seed corpus.

Run from the repo root:  .venv/bin/python evals/check_data.py
Prints counts per kind and split and exits non-zero on any violation.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.seeds import load_seeds  # noqa: E402

QUESTIONS = ROOT / "evals" / "questions.jsonl"
LABELS = ROOT / "evals" / "labels.jsonl"
RELEVANCE = ROOT / "evals" / "multi_relevance.jsonl"

KINDS = ("single", "single_hard", "multi", "unanswerable", "nearmiss")
SPLITS = ("dev", "test")
MIN_COUNTS = {"single": 100, "single_hard": 60, "multi": 44, "unanswerable": 36, "nearmiss": 30}
MIN_PER_SPLIT = {"single_hard": 30, "nearmiss": 15}
MIN_PARAPHRASE_MULTI = 10
PARAPHRASE_RARE_SHARE = 0.02  # a paraphrase question uses no word of its gold papers that is in fewer than 2% of papers
MIN_LABELS = 180
MIN_LABEL_PAPERS = 60
ID_PATTERNS = {"single": r"s\d{3,}", "single_hard": r"h\d{3,}", "multi": r"m\d{3,}", "unanswerable": r"u\d{3,}",
               "nearmiss": r"n\d{3,}"}
LABEL_KINDS = {
    True: {"paraphrase", "verbatim", "number", "summary"},
    False: {"wrong_paper", "wrong_number", "wrong_entity", "overclaim", "contradiction", "unsupported_detail", "generic"},
}
TITLE_NGRAM = 5


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def ngrams(text: str, n: int = TITLE_NGRAM) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def read_jsonl(path: Path, errors: list[str]) -> list[dict]:
    rows = []
    if not path.exists():
        errors.append(f"{path.name}: file missing")
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            errors.append(f"{path.name}:{n}: blank line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{path.name}:{n}: invalid JSON ({e})")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path.name}:{n}: not a JSON object")
            continue
        rows.append(row)
    return rows


def check_questions(rows: list[dict], papers: dict, errors: list[str]) -> None:
    from evals.lexical import RareWords

    rare = RareWords((f"{p.title}\n{p.abstract}" for p in papers.values()), share=PARAPHRASE_RARE_SHARE)
    paraphrased = 0
    seen_ids: set[str] = set()
    single_papers: Counter = Counter()
    paper_splits: dict[str, set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for row in rows:
        qid = row.get("id")
        where = f"questions {qid!r}"
        missing = {"id", "split", "kind", "question", "gold", "evidence", "reference"} - row.keys()
        if missing:
            errors.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)
        kind, split = row["kind"], row["split"]
        if kind not in KINDS:
            errors.append(f"{where}: bad kind {kind!r}")
            continue
        if split not in SPLITS:
            errors.append(f"{where}: bad split {split!r}")
            continue
        if not re.fullmatch(ID_PATTERNS[kind], str(qid)):
            errors.append(f"{where}: id does not match kind {kind}")
        if not isinstance(row["question"], str) or not row["question"].strip():
            errors.append(f"{where}: empty question")
        gold, evidence, reference = row["gold"], row["evidence"], row["reference"]
        if not isinstance(gold, list) or not isinstance(evidence, list) or not isinstance(reference, str):
            errors.append(f"{where}: gold/evidence must be lists and reference a string")
            continue
        counts[(kind, split)] += 1
        if len(set(gold)) != len(gold):
            errors.append(f"{where}: duplicate gold ids")
        for g in gold:
            if g not in papers:
                errors.append(f"{where}: gold id {g!r} not in corpus")
            paper_splits[g].add(split)
        if "asks" in row and (row["asks"] != "papers" or kind != "single"):
            errors.append(f"{where}: 'asks' is only \"papers\", for a single-paper which-papers question")
        if kind in ("unanswerable", "nearmiss"):
            if gold or evidence or reference:
                errors.append(f"{where}: {kind} must have empty gold, evidence and reference")
            if kind == "nearmiss":
                near = row.get("near")
                if near not in papers:
                    errors.append(f"{where}: nearmiss needs 'near', the corpus paper that lacks the detail asked")
                else:
                    paper_splits[near].add(split)
            continue
        if kind in ("single_hard",) or row.get("paraphrase"):
            bad = rare.violations(row["question"], [f"{papers[g].title}\n{papers[g].abstract}" for g in gold if g in papers])
            if bad:
                errors.append(f"{where}: a paraphrase question uses rare words or names of its gold paper: {bad}")
            paraphrased += kind == "multi"
        if kind in ("single", "single_hard") and len(gold) != 1:
            errors.append(f"{where}: single needs exactly one gold paper, has {len(gold)}")
        if kind == "multi" and not 2 <= len(gold) <= 5:
            errors.append(f"{where}: multi needs 2-5 gold papers, has {len(gold)}")
        if not reference.strip():
            errors.append(f"{where}: empty reference")
        quoted = set()
        for ev in evidence:
            if not isinstance(ev, dict) or set(ev) != {"paper_id", "quote"}:
                errors.append(f"{where}: evidence item must be {{paper_id, quote}}: {ev!r}")
                continue
            pid, quote = ev["paper_id"], ev["quote"]
            if pid not in gold:
                errors.append(f"{where}: evidence paper {pid!r} is not a gold paper")
            if pid not in papers:
                continue
            if not isinstance(quote, str) or not quote.strip():
                errors.append(f"{where}: empty quote for {pid}")
            elif quote not in papers[pid].abstract:
                errors.append(f"{where}: quote is not an exact substring of {pid}'s abstract: {quote[:80]!r}")
            else:
                quoted.add(pid)
        for g in gold:
            if g in papers and g not in quoted:
                errors.append(f"{where}: gold paper {g} has no valid evidence quote")
        if kind in ("single", "single_hard") and gold and gold[0] in papers:
            single_papers[(kind, gold[0], row.get("batch"))] += 1  # a later batch may ask another detail of a paper
            overlap = ngrams(row["question"]) & ngrams(papers[gold[0]].title)
            if overlap:
                shown = [" ".join(o) for o in sorted(overlap)]
                errors.append(f"{where}: shares {TITLE_NGRAM}-word run(s) with the title: {shown}")
    for (kind, pid, batch), n in single_papers.items():
        if n > 1:
            errors.append(f"questions: paper {pid} is gold for {n} {kind} questions{f' in batch {batch}' if batch else ''}")
    for pid, splits in paper_splits.items():
        if len(splits) > 1:
            errors.append(f"questions: paper {pid} appears in both dev and test")
    for kind, minimum in MIN_COUNTS.items():
        total = sum(counts[(kind, s)] for s in SPLITS)
        if total < minimum:
            errors.append(f"questions: {kind} count {total} < required {minimum}")
    for kind, minimum in MIN_PER_SPLIT.items():
        for split in SPLITS:
            if counts[(kind, split)] < minimum:
                errors.append(f"questions: {kind} has {counts[(kind, split)]} {split} questions < required {minimum}")
    if paraphrased < MIN_PARAPHRASE_MULTI:
        errors.append(f"questions: {paraphrased} paraphrased multi questions < required {MIN_PARAPHRASE_MULTI}")

    print("questions.jsonl")
    print(f"  {'kind':<14}{'dev':>6}{'test':>6}{'total':>7}")
    for kind in KINDS:
        dev, test = counts[(kind, "dev")], counts[(kind, "test")]
        print(f"  {kind:<14}{dev:>6}{test:>6}{dev + test:>7}")
    dev = sum(counts[(k, "dev")] for k in KINDS)
    test = sum(counts[(k, "test")] for k in KINDS)
    print(f"  {'all':<14}{dev:>6}{test:>6}{dev + test:>7}")
    print(f"  distinct gold papers: {len(paper_splits)}; paraphrased multi questions: {paraphrased}")


def check_labels(rows: list[dict], papers: dict, errors: list[str]) -> None:
    seen_ids: set[str] = set()
    by_kind: Counter = Counter()
    label_papers: set[str] = set()
    n_true = n_false = 0
    for row in rows:
        lid = row.get("id")
        where = f"labels {lid!r}"
        missing = {"id", "sentence", "paper_id", "supported", "kind"} - row.keys()
        if missing:
            errors.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if lid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(lid)
        if not re.fullmatch(r"l\d{3,}", str(lid)):
            errors.append(f"{where}: bad id format")
        if not isinstance(row["sentence"], str) or not row["sentence"].strip():
            errors.append(f"{where}: empty sentence")
        elif re.search(r"\[\d+\]|\[[a-z0-9-]+-[0-9a-f]{8}\]", row["sentence"]):
            errors.append(f"{where}: sentence contains a citation marker")
        if row["paper_id"] not in papers:
            errors.append(f"{where}: paper {row['paper_id']!r} not in corpus")
        label_papers.add(row["paper_id"])
        sup = row["supported"]
        if not isinstance(sup, bool):
            errors.append(f"{where}: supported must be true/false")
            continue
        if row["kind"] not in LABEL_KINDS[sup]:
            errors.append(f"{where}: kind {row['kind']!r} is not a {'supported' if sup else 'unsupported'} kind")
        by_kind[(row["kind"], sup)] += 1
        n_true += sup
        n_false += not sup
    total = n_true + n_false
    if total < MIN_LABELS:
        errors.append(f"labels: {total} rows < required {MIN_LABELS}")
    if len(label_papers) < MIN_LABEL_PAPERS:
        errors.append(f"labels: only {len(label_papers)} distinct papers < required {MIN_LABEL_PAPERS}")
    if total and not 0.35 <= n_true / total <= 0.65:
        errors.append(f"labels: true share {n_true / total:.2f} is not roughly half")

    print("labels.jsonl")
    print(f"  total {total}: supported {n_true}, unsupported {n_false}; distinct papers {len(label_papers)}")
    for sup in (True, False):
        parts = ", ".join(f"{k} {by_kind[(k, sup)]}" for k in sorted(LABEL_KINDS[sup]))
        print(f"  {'true ' if sup else 'false'}: {parts}")


def check_relevance(rows: list[dict], questions: list[dict], papers: dict, errors: list[str]) -> None:
    """Blind relevance judgments: one per (multi question, paper), of known papers, every gold paper judged."""
    multi = {q["id"]: q for q in questions if q.get("kind") == "multi"}
    seen: set[tuple[str, str]] = set()
    for n, row in enumerate(rows, 1):
        where = f"multi_relevance.jsonl:{n}"
        key = (row.get("id"), row.get("paper_id"))
        if key[0] not in multi:
            errors.append(f"{where}: {key[0]} is not a multi question")
        if key[1] not in papers:
            errors.append(f"{where}: unknown paper {key[1]}")
        if key in seen:
            errors.append(f"{where}: {key[0]} / {key[1]} judged twice")
        if not isinstance(row.get("relevant"), bool):
            errors.append(f"{where}: 'relevant' must be true or false")
        seen.add(key)
    for qid in {i for i, _ in seen} & set(multi):
        if missing := [g for g in multi[qid]["gold"] if (qid, g) not in seen]:
            errors.append(f"multi_relevance.jsonl: {qid}'s gold papers {missing} are not judged")
    print("multi_relevance.jsonl")
    relevant = sum(r.get("relevant") is True for r in rows)
    print(f"  {len(rows)} judgments of {len({i for i, _ in seen})} multi questions; relevant {relevant}")


def main() -> int:
    result = load_seeds(ROOT / "seeds")
    papers = result.papers
    print(f"corpus: {len(papers)} papers")
    errors: list[str] = []
    questions = read_jsonl(QUESTIONS, errors)
    check_questions(questions, papers, errors)
    check_labels(read_jsonl(LABELS, errors), papers, errors)
    check_relevance(read_jsonl(RELEVANCE, errors), questions, papers, errors)
    if errors:
        print(f"\n{len(errors)} violation(s):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
