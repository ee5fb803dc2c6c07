"""Citation parsing and checking: markers, re-citation, flags; property-tested with garbage markers."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rag import prompts
from rag.cite import CitationChecker
from rag.markers import parse_markers, split_sentences, strip_markers
from rag.config import CiteSettings
from rag.types import Source


@pytest.fixture(scope="module")
def sources(corpus_papers):
    picks = [
        "reducing-activation-recomputation-in-large-trans-d90bd815",
        "self-expanding-convolutional-neural-networks-8e46a6d8",
        "longcat-flash-technical-report-236bbd18",
    ]
    return [
        Source(n=i, paper_id=p, title=corpus_papers[p].title, abstract=corpus_papers[p].abstract, text="", score=0.0)
        for i, p in enumerate(picks, start=1)
    ]


@pytest.fixture(scope="module")
def checker(real_embedder, corpus_papers):
    from rag.terms import Vocabulary

    vocabulary = Vocabulary(f"{p.title}\n{p.abstract}" for p in corpus_papers.values())
    return CitationChecker(real_embedder, CiteSettings(), prompts.refusal(), vocabulary=vocabulary)


def test_marker_forms():
    assert parse_markers("a [1] b [2, 3] c [1][3] d [Source 2] e [4-5] f [9] g [0]", k=5) == [1, 2, 3, 4, 5]
    assert parse_markers("[1; 2 and 3]", k=3) == [1, 2, 3]
    assert parse_markers("[7] [12] [0] [-1] [abc]", k=5) == []
    assert strip_markers("It works [1], mostly [2, 3].") == "It works, mostly."


def test_markers_after_the_full_stop_stay_with_their_sentence():
    assert split_sentences("First claim. [1] Second claim [2]. Third.") == ["First claim [1].", "Second claim [2].", "Third."]


def test_an_abbreviation_ends_no_sentence():
    """ZipNN's "On popular models (e.g. Llama 3) ZipNN shows …" was quoted from "Llama 3) ZipNN shows …"."""
    assert split_sentences("We compress. On popular models (e.g. Llama 3) ZipNN saves 17%. As Smith et al. Show, A vs. B. "
                           "End.") == ["We compress.", "On popular models (e.g. Llama 3) ZipNN saves 17%.",
                                       "As Smith et al. Show, A vs. B.", "End."]


def test_supported_claim_is_verified_with_evidence(checker, sources):
    res = checker.check("Sequence parallelism and selective activation recomputation reduce activation memory by 5x [1].", sources)
    (cit,) = res.citations
    assert (cit.n, cit.verified, cit.moved_from) == (1, True, None)
    assert "5x" in cit.evidence and cit.evidence in sources[0].abstract
    assert res.unsupported == [] and res.text.endswith("[1].")


def test_wrong_citation_moves_to_the_supporting_source(checker, sources):
    res = checker.check("The self-expanding CNN method was evaluated on the CIFAR-10 dataset [3].", sources)
    (cit,) = res.citations
    assert (cit.n, cit.moved_from, cit.verified) == (2, 3, True)
    assert "[2]" in res.text and "[3]" not in res.text


def test_uncited_supported_sentence_gets_its_source(checker, sources):
    res = checker.check("LongCat-Flash is a 560-billion-parameter Mixture-of-Experts language model.", sources)
    (cit,) = res.citations
    assert cit.n == 3 and cit.added


def test_unsupported_and_wrong_number_sentences_are_flagged(checker, sources):
    res = checker.check(
        "Protein folding is solved by attention over amino acids [1]. "
        "Selective activation recomputation reduces activation memory by 9x [1].",
        sources,
    )
    assert res.citations == [] and res.text == ""
    assert len(res.unsupported) == 2


def test_refusal_sentence_is_recognised(checker, sources):
    res = checker.check(prompts.refusal(), sources)
    assert res.said_refusal and res.citations == [] and res.unsupported == []


SENTENCE_POOL = [
    "Sequence parallelism and selective activation recomputation reduce activation memory by 5x",
    "The method is evaluated on the CIFAR-10 dataset",
    "LongCat-Flash is a 560-billion-parameter Mixture-of-Experts language model",
    "Bananas are the best source of quantum entanglement",
    "The results were obtained on 12 TPUs in 3 days",
    "It is important",
]
MARKERS = ["", "[1]", "[2]", "[3]", "[0]", "[4]", "[99]", "[1, 3]", "[1][3]", "[2-3]", "[-1]", "[abc]", "[Source 2]",
           "[[2]]", "[1,]", "[ 3 ]", "[1-9]", "[3, 17]", "(1)", "[]"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(SENTENCE_POOL), st.sampled_from(MARKERS), st.sampled_from([".", "!", ""])),
                min_size=1, max_size=5))
def test_no_citation_outside_the_sources_and_every_unsupported_sentence_flagged(checker, sources, parts):
    answer = " ".join(f"{s} {m}{end}" for s, m, end in parts)
    res = checker.check(answer, sources)
    k = len(sources)
    assert all(1 <= c.n <= k for c in res.citations)
    assert all(1 <= int(n) <= k for n in re.findall(r"\[(\d+)\]", res.text))
    for chk in res.sentences:  # every claim is either shown with a verified citation or flagged
        assert chk.supported or chk.sentence in res.unsupported
        assert not (chk.supported and chk.sentence in res.unsupported)
    for c in res.citations:
        assert c.verified and c.paper_id == sources[c.n - 1].paper_id
    assert "Bananas" not in res.text


def test_a_short_claim_read_off_one_sentence_verifies(checker, sources):
    """A follow-up's short answer ("a GPU count and model") scores low on embeddings against a long sentence; it is
    word for word in the abstract, so it passes."""
    res = checker.check("They trained on 2240 NVIDIA A100 GPUs [1].", sources)
    assert res.citations and res.citations[0].verified and "2240 NVIDIA A100 GPUs" in res.citations[0].evidence
    assert checker.check("They trained on 2048 NVIDIA A100 GPUs [1].", sources).citations == []



def test_a_claim_reversing_the_abstracts_sentence_on_the_same_thing_is_rejected(real_embedder, corpus_papers):
    """The claim verifies against a framing sentence; the abstract's sentence about the same result says the opposite."""
    checker = CitationChecker(real_embedder, CiteSettings(), prompts.refusal())
    p = next(p for p in corpus_papers.values() if p.title.startswith("Inference Scaling vs Reasoning"))
    src = [Source(1, p.paper_id, p.title, p.abstract, "", 1.0)]
    bad = checker.check("The accuracy and runtime of Quiet-STaR and REBASE when Mistral-7B was combined on GSM8K were "
                        "significantly improved [1].", src)
    assert bad.text == "" and bad.unsupported[0].endswith("(states the opposite of its source)"), bad.unsupported
    good = checker.check("The combined approach unexpectedly results in degraded performance, with 9.38% accuracy [1].", src)
    assert good.text and all(c.verified for c in good.citations), good.unsupported
