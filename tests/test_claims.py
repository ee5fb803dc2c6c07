"""Claim checks that see what embeddings miss: restating the question, reversed meaning, numbers on the wrong quantity."""

from __future__ import annotations

from rag.claims import asserts_the_question, carries, contained, key_facts, misplaced_numbers, problem, restates, reverses
from rag.markers import claims, name_markers

EVIDENCE = "Our method reduces activation memory by 5x, while reducing execution time overhead by over 90%."


def test_restating_the_question_is_not_an_answer():
    q = "How much does selective activation recomputation reduce activation memory?"
    assert restates("Selective activation recomputation reduces activation memory [1].", q)
    assert not restates("Selective activation recomputation reduces activation memory by 5x [1].", q)
    assert not restates("It trains a 530B model on 2240 A100 GPUs.", q)


def test_reversed_meaning_is_caught():
    assert reverses("The method does not reduce activation memory.", EVIDENCE)
    assert reverses("The method increases activation memory by 5x.", EVIDENCE)
    assert reverses("Weight sharing makes the search slower.", "Weight sharing makes the search much faster.")
    assert not reverses("The method reduces activation memory by 5x.", EVIDENCE)
    assert reverses("Mamba learns to copy.", "Mamba fails to learn to copy.")


def test_a_number_moved_to_another_quantity_is_caught():
    assert misplaced_numbers("Execution time overhead falls by 5x.", EVIDENCE) == ["5"]
    assert misplaced_numbers("Activation memory falls by 5x.", EVIDENCE) == []
    assert misplaced_numbers("Training cost is 175B.", EVIDENCE) == []  # not in this evidence: the support check decides


def test_short_claim_read_off_one_sentence_is_contained():
    ev = "We train on 8 NVIDIA A100 GPUs for two days."
    assert contained("They used 8 NVIDIA A100 GPUs.", ev)
    assert not contained("They used 16 NVIDIA A100 GPUs.", ev)
    assert not contained("They used 8 NVIDIA H100 GPUs.", ev)


def test_markers_used_as_nouns_become_titles():
    titles = {2: "Scaling Laws for Routing", 4: "Unified Scaling Laws"}
    out = name_markers("The proposed laws are [2] and [4]. Routing helps [2].", titles)
    assert out == "The proposed laws are “Scaling Laws for Routing” [2] and “Unified Scaling Laws” [4]. Routing helps [2]."


def test_claims_drop_fragments_and_the_refusal():
    text = "Routing helps [1]. The corpus does not answer this question. OK."
    assert claims(text, "The corpus does not answer this question.") == ["Routing helps [1]."]


def test_key_facts_are_what_the_evidence_adds_to_the_question():
    facts = key_facts([EVIDENCE], "How much does it reduce activation memory?")
    assert facts == {"5", "90"}
    assert carries("It cuts memory by 5x [1].", facts) and not carries("It cuts memory [1].", facts)


def test_the_baselines_result_is_not_given_to_another_system():
    from rag.claims import swaps_baseline

    ev = "MegaScale achieves 55.2% MFU on 12,288 GPUs, improving the MFU by 1.34x compared to Megatron-LM."
    assert swaps_baseline("Megatron-LM achieved 55.2% MFU on 12,288 GPUs [1].", ev)
    assert not swaps_baseline("MegaScale achieved 55.2% MFU, 1.34x more than Megatron-LM [1].", ev)
    assert not swaps_baseline("It improves MFU by 1.34x over Megatron-LM [1].", ev)


def test_names_listed_as_another_kind_are_not_given_as_the_asked_kind():
    """n1638 (holdout-1204): the model gave a sentence's benchmarks as the backbones it asked for; the checker passed it."""
    from rag.claims import miscasts

    q = "Which specific backbone architectures were used in the slimmable multi-task model experiments?"
    ev = ("Various experiments on three multi-task benchmarks (PASCALContext, NYUDv2, and CIFAR100-MTL) with diverse "
          "backbone architectures demonstrate the advantage of our approach.")
    wrong = "The backbone architectures used in the slimmable multi-task model experiments were PASCALContext, NYUDv2 [1]."
    assert miscasts(wrong, ev, q) == {"pascalcontext", "nyudv2"}
    assert problem(wrong, [(ev, ev)], q) == "gives names its source lists as another kind of thing"
    assert not miscasts("It was tested on three benchmarks (PASCALContext, NYUDv2) with diverse backbone architectures [1].",
                        ev, q)  # it calls them benchmarks
    assert not miscasts("The model is evaluated on PASCALContext and NYUDv2 [1].", ev, q)  # gives no backbone
    assert not miscasts("The benchmarks were PASCALContext and NYUDv2 [1].", ev, "Which benchmarks were used?")


def test_a_studys_question_is_not_its_finding():
    evidence = ("We present a systematic study of how well data selection methods scale to these settings, selecting up "
                "to 2.5M samples from pools of up to 5.8M samples.")
    assert asserts_the_question("Data selection methods scale well to these settings [1].", evidence)
    assert not asserts_the_question("The study measures how well data selection methods scale to these settings.", evidence)
    assert not asserts_the_question("The study selects up to 2.5M samples from pools of up to 5.8M samples.", evidence)


def test_the_questions_name_does_not_take_a_number_given_to_something_else():
    from rag.claims import borrows_question_name, problem

    question = "On CORE-Bench's hardest level, what accuracy did the general-purpose AutoGPT agent score?"
    evidence = "The best agent achieved an accuracy of 21% on the hardest task."
    claim = "The general-purpose AutoGPT agent achieved an accuracy of 21% on the hardest task."
    assert borrows_question_name(claim, evidence, question) == {"autogpt"}
    assert problem(claim, [(evidence, evidence)], question).startswith("gives a name a number")
    assert not borrows_question_name("The best agent achieved 21% on the hardest task.", evidence, question)
    named = "AutoGPT, the best agent, achieved an accuracy of 21% on the hardest task."
    assert not borrows_question_name(claim, named, question)  # the evidence itself gives AutoGPT the number
    assert not borrows_question_name("AutoGPT is a general-purpose agent.", evidence, question)  # no number at stake
    derived = "AutoGPTv2 achieved an accuracy of 21% on the hardest task."
    assert not borrows_question_name(claim, derived, question)  # a name built on the asked one (CodeBERTER, CodeBERT)
    title = "AutoGPT: An Agent for Everything"
    assert not borrows_question_name(claim, evidence, question, title)  # the paper's own system
    # a name from the abstract that is not the paper's own system (the title, or "we propose X") takes no number either
    abstract = "We evaluated two baseline agents: AutoGPT and a task-specific agent called CORE-Agent. " + evidence
    baseline = "CORE-Agent achieved an accuracy of 21% on the hardest task."
    assert borrows_question_name(baseline, evidence, question, "CORE-Bench: Fostering Credibility", abstract) == {"coreagent"}
    ours = "We propose CORE-Agent, a task-specific agent. " + evidence
    assert not borrows_question_name(baseline, evidence, question, "CORE-Bench: Fostering Credibility", ours)
    gpus = "How many GPUs did the AST-aware model use?"
    assert not borrows_question_name("The AST model used 64 GPUs.", "It ran on 64 accelerators.", gpus)  # plain acronyms


def test_figures_paired_respectively_are_not_given_together():
    """holdout-1210, read blind: the model wrote "BitMoD achieves an average of 1.69times and 1.48times speedups compared
    to OliVe" from "… 1.69times and 1.48times speedups compared to prior LLM accelerators ANT and OliVe, respectively";
    the checker passed it. A sentence giving two figures of a "respectively" clause without the pairing must go."""
    from rag.claims import merges_respective, problem

    ev = ("Combining the superior model performance with an efficient accelerator design, BitMoD achieves an average of "
          "1.69times and 1.48times speedups compared to prior LLM accelerators ANT and OliVe, respectively.")
    claim = "BitMoD achieves an average of 1.69times and 1.48times speedups compared to OliVe [1]."
    assert merges_respective(claim, ev) and "respectively" in problem(claim, [(ev, ev)])
    assert not merges_respective("BitMoD is 1.69x faster than ANT and 1.48x faster than OliVe, respectively.", ev)
    assert not merges_respective("BitMoD achieves a 1.48times speedup over OliVe.", ev)
