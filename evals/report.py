"""The eval's outputs: a Markdown report, a JSON file of every per-question result, and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path


def _f(x, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}" if isinstance(x, float) else str(x)


def markdown(result: dict) -> str:
    """Tables for retrieval, answers and the judge."""
    lines = [f"# paperchat eval — split `{result['split']}`", "",
             f"{result['n_questions']} questions · judge `{result.get('judge', '–')}` · "
             f"index `{result['settings']['collection']}` · prompts {result['prompt_hashes']['answer_system']}", ""]
    ret = result.get("retrieval")
    if ret:
        lines += ["## Retrieval", "", "| system | kind | n | recall@1 | recall@5 | recall@10 | MRR@10 | nDCG@10 |",
                  "|---|---|---|---|---|---|---|---|"]
        for mode, per in ret.items():
            for kind in ("single", "multi", "all"):
                m = per.get(kind)
                if m:
                    lines.append(f"| {mode} | {kind} | {m['n']} | {_f(m['recall@1'])} | {_f(m['recall@5'])} | "
                                 f"{_f(m['recall@10'])} | {_f(m['mrr@10'])} | {_f(m['ndcg@10'])} |")
        lines += ["", "Retrieval latency (ms): " + ", ".join(
            f"{mode} p50 {per['latency_ms']['p50']:.1f} / p95 {per['latency_ms']['p95']:.1f}" for mode, per in ret.items()), ""]
    ans = result.get("answers")
    if ans:
        keys = [("citation_validity", True), ("citation_precision", True), ("citation_recall", True),
                ("gold_citation_precision", True), ("gold_citation_recall", True), ("refusal_recall", True),
                ("refusal_precision", True), ("over_refusal", True), ("answer_f1_reference", False),
                ("answer_sim_reference", False), ("latency_p50_s", False), ("latency_p95_s", False),
                ("first_token_p50_s", False), ("prompt_tokens_p50", False)]
        systems = list(ans)
        lines += ["## Answers", "", "| metric | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
        for key, pct in keys:
            lines.append(f"| {key} | " + " | ".join(_f(ans[s]["summary"].get(key), pct) for s in systems) + " |")
        lines.append("")
    agree = result.get("judge_agreement")
    if agree:
        lines += ["## Judge vs hand labels (`evals/labels.jsonl`)", "", "| half | n | accuracy | precision | recall | Cohen's κ |",
                  "|---|---|---|---|---|---|"]
        for half, m in agree.items():
            lines.append(f"| {half} | {m['n']} | {_f(m['accuracy'])} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['kappa'])} |")
        lines.append("")
    if result.get("check"):
        lines += ["## Threshold check", "", "| metric | value | threshold | ok |", "|---|---|---|---|"]
        lines += [f"| {c['metric']} | {_f(c['value'])} | {c['op']} {c['threshold']} | {'yes' if c['ok'] else '**NO**'} |"
                  for c in result["check"]]
    return "\n".join(lines) + "\n"


def chart(result: dict, path: Path) -> None:
    """Recall@k curves per retrieval mode, and citation precision/recall per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    ret = result.get("retrieval") or {}
    for mode, per in ret.items():
        m = per.get("all")
        if m:
            axes[0].plot([1, 5, 10], [m["recall@1"], m["recall@5"], m["recall@10"]], marker="o", label=mode)
    axes[0].set(title="Retrieval recall@k (answerable questions)", xlabel="k", ylabel="recall", ylim=(0, 1.02))
    axes[0].legend()
    ans = result.get("answers") or {}
    names = list(ans)
    if names:
        x = range(len(names))
        prec = [ans[n]["summary"].get("citation_precision") or 0 for n in names]
        rec = [ans[n]["summary"].get("citation_recall") or 0 for n in names]
        axes[1].bar([i - 0.2 for i in x], prec, width=0.4, label="citation precision")
        axes[1].bar([i + 0.2 for i in x], rec, width=0.4, label="citation recall")
        axes[1].set_xticks(list(x), names, rotation=10)
        axes[1].set(title="Citations (ALCE-style, judged)", ylim=(0, 1.02))
        axes[1].legend()
    else:
        axes[1].axis("off")
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
