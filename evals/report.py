"""The eval's outputs: a Markdown report, a JSON file of every per-question result, and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

from evals.stages import STAGES


def _f(x, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}" if isinstance(x, float) else str(x)


def markdown(result: dict) -> str:
    """Tables for retrieval, answers and the judge."""
    batch = f", batch `{result['batch']}`" if result.get("batch", "all") != "all" else ""
    lines = [f"# paperchat eval — split `{result['split']}`{batch}", "",
             f"{result['n_questions']} questions · judge `{result.get('judge', '–')}` · "
             f"index `{result['settings']['collection']}` · prompts {result['prompt_hashes']['answer_system']}", ""]
    ret = result.get("retrieval")
    if ret:
        lines += ["## Retrieval", "", "| system | kind | n | recall@1 | recall@5 | recall@10 | MRR@10 | nDCG@10 |",
                  "|---|---|---|---|---|---|---|---|"]
        for mode, per in ret.items():
            for kind in ("single", "single_hard", "multi", "all"):
                m = per.get(kind)
                if m:
                    lines.append(f"| {mode} | {kind} | {m['n']} | {_f(m['recall@1'])} | {_f(m['recall@5'])} | "
                                 f"{_f(m['recall@10'])} | {_f(m['mrr@10'])} | {_f(m['ndcg@10'])} |")
        if pooled := {mode: per["multi_pooled"] for mode, per in ret.items() if "multi_pooled" in per}:
            lines += ["", "Multi-paper questions against pooled relevance (gold, or judged relevant by a blind reader: "
                      "`evals/multi_relevance.jsonl`; recall over min(10, relevant papers)):", "",
                      "| system | n | pooled recall@10 | pooled precision@10 | judged share of top 10 |", "|---|---|---|---|---|"]
            lines += [f"| {mode} | {m['n']} | {_f(m['pooled_recall@10'])} | {_f(m['pooled_precision@10'])} | "
                      f"{_f(m['judged@10'])} |" for mode, m in pooled.items()]
        lines += ["", "Retrieval latency (ms): " + ", ".join(
            f"{mode} p50 {per['latency_ms']['p50']:.1f} / p95 {per['latency_ms']['p95']:.1f}" for mode, per in ret.items()), ""]
    ans = result.get("answers")
    if ans:
        keys = [("correct", True), ("correct_single", True), ("correct_single_hard", True), ("correct_multi", True),
                ("fact_recall", True), ("restated_sentences", True), ("citation_validity", True), ("citation_precision", True),
                ("citation_recall", True), ("gold_citation_precision", True), ("gold_citation_recall", True),
                ("multi_list_precision_pooled", True),
                ("refusal_recall", True), ("refusal_recall_unanswerable", True), ("refusal_recall_nearmiss", True),
                ("refusal_precision", True), ("over_refusal", True), ("mode_generated", True), ("mode_extractive", True),
                ("mode_refused", True), ("answer_f1_reference", False),
                ("answer_sim_reference", False), ("latency_p50_s", False), ("latency_p95_s", False),
                ("first_token_p50_s", False), ("prompt_tokens_p50", False)]
        systems = list(ans)
        keys += [(k, True) for k in sorted({k for sys in systems for k in ans[sys]["summary"] if "[" in k})]  # per question set
        lines += ["## Answers", "", "| metric | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
        for key, pct in keys:
            lines.append(f"| {key} | " + " | ".join(_f(ans[s]["summary"].get(key), pct) for s in systems) + " |")
        lines.append("")
    lost = (ans or {}).get("paperchat", {}).get("stages")
    if lost:
        lines += ["## Where answerable questions are lost (paperchat; the first stage after which the key facts are gone)", "",
                  "| questions | n | " + " | ".join(STAGES) + " |", "|---|---|" + "---|" * len(STAGES)]
        for key in [k for k in ("single", "single_hard", "multi", "original", "added sets", "all") if k in lost]:
            counts = lost[key]
            lines.append(f"| {key} | {sum(counts.values())} | " + " | ".join(str(counts[s]) for s in STAGES) + " |")
        lines.append("")
    agree = result.get("judge_agreement")
    if agree:
        lines += ["## Judge vs hand labels (`evals/labels.jsonl`)", "", "| half | n | accuracy | precision | recall | Cohen's κ |",
                  "|---|---|---|---|---|---|"]
        for half, m in agree.items():
            lines.append(f"| {half} | {m['n']} | {_f(m['accuracy'])} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['kappa'])} |")
        lines.append("")
    blind = result.get("checker_vs_blind")
    if blind:
        lines += ["## Our checker vs blind labels (`evals/answer_labels.jsonl`)", "",
                  "| sentences | n | accuracy | precision | recall | Cohen's κ |", "|---|---|---|---|---|---|"]
        for stage, m in blind.items():
            lines.append(f"| {stage} | {m['n']} | {_f(m['accuracy'])} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['kappa'])} |")
        lines.append("")
    if result.get("check"):
        lines += ["## Threshold check", "", "| metric | value | threshold | ok |", "|---|---|---|---|"]
        lines += [f"| {c['metric']} | {_f(c['value'])} | {c['op']} {c['threshold']} | {'yes' if c['ok'] else '**NO**'} |"
                  for c in result["check"]]
    return "\n".join(lines) + "\n"


def chart(result: dict, path: Path) -> None:
    """Recall@k per retrieval mode, MRR@10 per kind and mode, and (when answers ran) the answer metrics per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ret = result.get("retrieval") or {}
    ans = result.get("answers") or {}
    fig, axes = plt.subplots(1, 3 if ans else 2, figsize=(16 if ans else 11, 4))
    for mode, per in ret.items():
        m = per.get("all")
        if m:
            axes[0].plot([1, 5, 10], [m["recall@1"], m["recall@5"], m["recall@10"]], marker="o", label=mode)
    axes[0].set(title="Retrieval recall@k (answerable questions)", xlabel="k", ylabel="recall", ylim=(0, 1.02))
    axes[0].legend()
    kinds = [k for k in ("single", "single_hard", "multi") if any(k in per for per in ret.values())]
    width = 0.8 / max(1, len(ret))
    for i, (mode, per) in enumerate(ret.items()):
        axes[1].bar([j + i * width for j in range(len(kinds))], [per.get(k, {}).get("mrr@10", 0) for k in kinds],
                    width=width, label=mode)
    axes[1].set_xticks([j + width * (len(ret) - 1) / 2 for j in range(len(kinds))], kinds)
    axes[1].set(title="MRR@10 per question kind", ylim=(0, 1.02))
    axes[1].legend()
    if ans:
        metrics = [("correct", "correct"), ("citation_precision", "cit. precision"), ("refusal_recall", "refusal recall"),
                   ("over_refusal", "over-refusal")]
        names = list(ans)
        width = 0.8 / len(metrics)
        for i, (key, label) in enumerate(metrics):
            axes[2].bar([j + i * width for j in range(len(names))], [ans[n]["summary"].get(key) or 0 for n in names],
                        width=width, label=label)
        axes[2].set_xticks([j + width * (len(metrics) - 1) / 2 for j in range(len(names))], names, rotation=10, fontsize=8)
        axes[2].set(title="Answers", ylim=(0, 1.02))
        axes[2].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(result: dict, out_dir: Path) -> dict[str, Path]:
    """Write report.md, results.json and chart.png into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"report": out_dir / "report.md", "json": out_dir / "results.json", "chart": out_dir / "chart.png"}
    paths["report"].write_text(markdown(result))
    paths["json"].write_text(json.dumps(result, indent=1, default=str))
    chart(result, paths["chart"])
    return paths
