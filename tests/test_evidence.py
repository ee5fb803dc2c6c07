"""Evidence selection and the answerability gate on real abstracts (real MiniLM, no LLM)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag import prompts
from rag.cite import CitationChecker
from rag.compare import (asks_baseline, asks_winner, baseline_names, compared_side, compares, other_than, ranks, uncompared,
                         winner_options)
from rag.config import CiteSettings, EvidenceSettings
from rag.evidence import EvidenceSelector
from rag.terms import Vocabulary
from rag.focus import TIME_UNITS, broad, focus, parts
from rag.quantities import counted_not_listed, counts, measures, new_number, none_of, numbers
from rag.scope import (asks_complexity, besides, excluded, gives_complexity, lists_beside, named_besides_best, none_offered,
                       offered, other_count, other_setting, sibling_named, unspoken_thing)
from rag.gate import unsaid_runs
from rag.acronyms import asked_expansion, generic_abbreviations, written_out
from rag.slots import anchors, capitalised, named_title, hardware_names, model_names, new_names, own_name, said_names, unmentioned
from rag.types import Source

ROUTER = "routerbench-a-benchmark-for-multi-llm-67bb6300"


def test_focus_reads_what_is_asked():
    f = focus("How many inference outcomes are in the routing benchmark?")
    assert f.quantity and f.count == ("outcom",) and not f.multi
    assert focus("What speedup over vLLM does it reach?").measure == ("speedup",)
    assert focus("Which base model was fine-tuned?").name == ("model",)
    assert focus("Which papers schedule LLM requests by predicted output length?").multi
    assert not focus("How does the method decide when to expand?").quantity
    assert focus("What maximum effective context length, in tokens, did it reach?").measure == ("token",)  # the unit asked
    assert focus("What top-1 accuracy does it reach?").measure == ("accuraci",)  # the quantity word, not its modifiers
    score = focus("What knowledge benchmark score does the router reach?")
    assert score.measure == ("score",) and score.name == ()  # a score is asked; "benchmark" only qualifies it
    assert not focus("Which debiasing technique narrowed the gap between the pronouns?").quantity  # a verb in between
    # a generic quantity word: what is measured is what the question says is cut
    assert focus("By what percentage does it cut energy consumption on the edge devices?").measure == ("energi", "consumpt")
    assert focus("How much does it reduce memory usage?").measure == ("memori", "usag")
    assert focus("By how much did the scheduler improve inference over vLLM?").measure == ()  # "improve" names no quantity
    assert focus("How large was the uncurated image-text pool that the filter network cleaned?").measure == ("pool",)
    assert focus("How large is the datastore built to study retrieval at inference time?").measure == ("datastor",)
    assert focus("How big is the resulting set?").measure == ()  # a vague head names nothing to measure
    params = focus("What is the largest model, in parameters, that it trains on one server?")
    assert params.quantity and params.measure == ("paramet",)  # the unit asked makes it a number question
    assert focus("What was the average cost in US dollars per query?").measure == ("dollar",)
    assert focus("How much faster is inference after the compression?").measure == ("faster",)
    # the nouns after the kind word are the kind too: a toolkit is asked, "LLM" qualifies it
    assert focus("Which LLM data-processing toolkit offers over 50 built-in operators?").name == ("llm", "toolkit")
    assert focus("Which LLM powered the planning framework?").name == ("llm",)
    assert focus("Which two widely used data sets were used to evaluate the index?").name == ("data", "set")
    assert focus("Which solver does the planner call?").name == ("solver",)
    assert focus("Which particular Lawvere theory is used to parameterise the category?").name == ("theori",)
    assert focus("What correlation coefficient with the error is reported?").measure == ("coeffici",)
    assert focus("How many human-curated instructions are in the dataset?").count == ("instruct",)  # an adjective, no verb
    assert focus("How much of a fixed annotation budget should go to supervised finetuning?").measure == ("share",)
    assert focus("Into how many ability categories is it split?").count == ("abil", "categori")  # abilities are counted
    assert counts("It is categorized into ten distinct LLM abilities.", focus("Into how many ability categories?").count)


def test_the_asked_slot_is_filled_by_a_new_number_or_a_name_of_the_asked_kind():
    corpus = "we compile a parallel corpus comprising of 2.75 million sentence pairs, more than 2 million of which were new"
    assert counts(corpus, ("pair",)) and not counts(corpus, ("pair",), frozenset(numbers("the 2.75-million-pair corpus")))
    assert not measures("In Dutch, these pronouns were only introduced in 2016.", ("score",), window=8)  # a year is no score
    assert measures("The pronoun score rose to 71.2 after augmentation.", ("score",))
    assert new_names("experiments conducted on the MultiWOZ dataset with two LLMs", ("llm",), set()) == set()
    assert new_names("a ratio of x10, and a 14x larger model, in FLOPs-matched runs", ("model",), set()) == set()
    assert new_names("the verifier is GPT-4o and the generator Llama-3", ("llm",), set()) >= {"gpt", "4o"}
    listed = "experiments on three benchmarks (PASCALContext, NYUDv2, and CIFAR100-MTL) with diverse backbone architectures"
    assert new_names(listed, ("backbon", "architectur"), set(), window=4) == set()  # n1638: the benchmarks are no backbone
    assert new_names(listed, ("benchmark",), set(), window=4) >= {"pascalcontext", "nyudv2"}
    # a number hyphen-joined to a noun counts or measures that noun, whatever stands after it
    assert not counts("a 560-billion-parameter Mixture-of-Experts (MoE) language model", ("expert",))
    assert counts("a 2.75-million-pair corpus", ("pair",))
    compared = "Banquet approached the performance level of the significantly more complex 6-stem Hybrid Transformer Demucs"
    assert not counts(compared, ("stem",))  # the baseline's stems: the model wrote "Banquet … can handle 6-stem …"
    assert counts("we train a 7B-parameter Llama model", ("paramet",))  # a name after the count may be the paper's own
    # a number in brackets counts nothing past them; the number before the brackets still counts what follows them
    tuned = "hundreds of model checkpoints (7b to 33b) fully instruction-tuned on over 40k human-curated instruction data"
    assert not counts(tuned.split(" on over")[0], ("instruct",)) and counts(tuned, ("instruct",))
    assert counts("It has 0.5 billion (0.5B) parameters.", ("paramet",))
    ternary = "our ternary 600M-parameter model outperforms the previous 3B-parameter model in accuracy"
    assert not measures(ternary, ("accuraci",), given=frozenset({"600"}))
    # a number whose next words name another measure is not the asked one's
    assert not measures("we achieved more than 10x faster speed and lower energy", ("energi",))
    assert not measures("an efficient model is compressed, achieving up to 7.988x compression", ("faster",))
    assert measures("an efficient model is compressed, achieving up to 7.988x compression", ("compress", "ratio"))
    assert measures("it achieves 55.2% Model FLOPs Utilization (MFU) on 12,288 GPUs", ("util",))
    assert measures("it cuts latency by 30%, and improves accuracy", ("accuraci",))  # only the next words, up to a join, tie it
    assert measures("it costs $0.02 per query", ("dollar",)) and not measures("accuracy near 100% and low cost", ("dollar",))
    # an asked name stands near its kind's word
    far = "MegaScale achieves 55.2% MFU when training a 175B LLM model on 12,288 GPUs"
    assert new_names(far, ("model",), {"megascale"}) == {"mfu"} and new_names(far, ("model",), {"megascale"}, window=4) == set()
    # a GPU is named by a model number or a hardware family, never by any name beside it
    assert new_names(far, ("gpu",), {"megascale"}) == set()
    assert new_names("trained on 32 NVIDIA A100 GPUs", ("gpu",), set(), 4) == {"nvidia", "a100"}
    assert "h800" in new_names("the model was trained on 1,024 NVIDIA H800 GPUs", ("gpu",), set(), window=4)
    assert capitalised("What speedup does Tilus deliver over vLLM, and does Holmes help?") == {"Tilus", "Holmes"}
    # a figure for the other side of a setting the question names is no answer
    assert other_setting("How many more servers can a cluster for training rather than inference hold?",
                         "we can deploy 30% more servers in the same GPU cluster for inference") == "infer"
    assert other_setting("What speedups does it reach on GPUs?", "speedups of 2.37x to 6.17x on x86 CPUs") == "cpu"
    assert other_setting("What speedups does it reach on GPUs?", "speedups of 2x on CPUs and 3x on GPUs") is None
    assert capitalised("How good is it for a low-resource Southeast Asian language or English?") == set()
    enumerated = "we analyze (1) searching against verifiers and (2) updating the model, up to 70% accuracy"
    assert new_names(enumerated, ("llm",), set()) == set()  # a bare number is never a name


def test_shares_count_no_things_names_hold_no_numbers_and_an_asked_thing_must_be_spoken_of():
    juicer = "up to 88.7% reduction in single-machine processing time, and 7.91x processing acceleration"
    assert not counts(juicer, ("machin",)) and counts("we can deploy 30% more servers in the cluster", ("server",))
    assert not new_number("green LLM4SE solutions that reduce energy") and new_number("speeds up pre-training by sim3x")
    fedp3 = "FedP3 lets each client prune its model with well-established techniques, and has a private variant."
    assert unspoken_thing("Which pruning criterion does FedP3 use to prune weights?", fedp3) == "criterion"
    assert unspoken_thing("Which pruning technique does FedP3 use to prune weights?", fedp3) is None  # fits any description
    assert unspoken_thing("What bit-width does the engine introduce?", "a 4-bit and 8-bit engine") is None
    assert unspoken_thing("What bit-width does the engine introduce?", "a low-precision engine") == "bit-width"
    banquet = "Banquet, at only 24.9 M trainable parameters, approached the performance level of Demucs"
    assert not measures(banquet, ("score",))  # the number is a parameter count, whatever word stands near
    endor = "applying Endor accelerates OPT-66B by 1.70x and Llama2-70B by 1.78x"
    assert not measures(endor, ("compress", "ratio")) and measures(endor, ("speed-up", "speed"))
    few = "What accuracy does the largest model reach with few-shot prompting, before any fine-tuning?"
    assert excluded(few, "the largest fine-tuned model achieves 83.8 percent accuracy") == "fine-tuning"
    assert excluded(few, "few-shot prompting of the largest model reaches 59.6 percent") is None
    remax = "ReMax saves about 50% memory and runs faster than PPO; direct preference optimization is left aside."
    assert uncompared("How does its memory compare with that of PPO in training?", remax) == []
    assert uncompared("How does its memory compare with that of DPO in training?", remax) == []  # written out
    assert uncompared("How does its memory compare with LoRA's on the same backbone?", "a broad exploration") == ["LoRA"]
    assert uncompared("How does it compare with BLIP-Diffusion in alignment?", "diffusion and BLIP") == ["BLIP-Diffusion"]
    assert asks_winner("Which of the six frameworks achieved the highest coverage of real-world schemas?")
    assert asks_winner("Which technique does the survey find yields the largest memory savings?")
    tee = "Which enclave technology, such as Intel SGX or AMD SEV, does the framework rely on?"
    assert unspoken_thing(tee, "it relies on trusted execution environments (TEEs)") == "technology"
    assert not asks_winner("What success rate did it reach on the most complex instructions?")
    assert ranks("fine-tuning on Flan-T5 yields the best performance") and not ranks("with most uses guaranteeing compliance")
    assert new_names("(2) Model compression is effective on mobile devices", ("model",), set(), window=6) == set()
    assert new_names("DistKV-LLM manages the KV Cache", ("llm",), {"distkv"}, window=6) == set()  # KV is no LLM
    linkorgs = "LinkOrgs builds a machine learning model for predicting matches from character strings"
    assert unspoken_thing("What neural architecture (e.g., a transformer) does LinkOrgs use?", linkorgs) == "architecture"
    assert unmentioned("What prediction error does vTrain show?", "the Variance Horizon reduced usage") == {"vTrain"}
    five = "What fraction of issues does it solve when given only five samples?"
    assert other_count(five, "it rises from 15.9% with one sample to 56% with 250 samples") == "250, one sampl"
    assert other_count(five, "it solves 30% with five samples and 56% with 250 samples") is None
    lens = "Which hybrid inference system does MoE-Lens outperform by 4.6x on average?"
    assert asks_baseline(lens) and not asks_baseline("Which system outperforms the others?")
    title = "MoE-Lens: Towards the Hardware Limit of High-Throughput MoE LLM Serving"
    assert baseline_names("MoE-Lens outperforms MoE-Lightning by 4.6x on average", lens, title) == {"moelightning"}
    assert baseline_names("It outperforms the state-of-the-art solution by 4.6x", lens, title) == set()
    assert baseline_names("We implement it on NVIDIA GPUs with LLaMA-3-8B", lens, title) == set()  # no comparison
    lower = "How much lower do LLMs score on the short-instruction variant than on the original tasks?"
    human = "scores up to 60%, significantly lower than the human performance of 97%"
    assert other_than(lower, human) == "the human performance of 97%"
    assert other_than(lower, "scores fall 5 points lower than on the original tasks") is None
    assert other_than(lower, "it is nearly 1000 times faster than the latter") is None  # a stand-in may be the asked one


def test_offered_examples_comparisons_and_own_names_are_read():
    tee = "Which TEE technology, such as Intel SGX or AMD SEV, does the framework rely on for security?"
    assert offered(tee) == ["Intel SGX", "AMD SEV"]
    assert none_offered(tee, "hardware-based security through trusted execution environments (TEEs)") == ["Intel SGX", "AMD SEV"]
    assert none_offered(tee, "an enclave built on Intel SGX") == []
    peft = "Into which categories, such as additive, selective or reparameterized methods, does the survey sort them?"
    assert offered(peft) == ["additive", "selective", "reparameterized methods"]
    assert none_offered(peft, "we review additive adapters and prompts") == []
    assert offered("What gain came from test-time compute (e.g., more documents), with long contexts?") == ["more documents"]
    reno = "How does ReNO's score with a single reward model compare with a combination of multiple reward models?"
    side = compared_side(reno, "noise is optimized with one or multiple reward models")
    assert side == {"multipl"} and not compares("optimizing the noise with one or multiple reward models", side)
    assert compares("with multiple reward models it scores 5 points higher than with one", side)
    assert compared_side("How many reward models does ReNO use?", "one or multiple reward models") is None
    drop = "How does Token Reroute compare with Token Drop in inference speedup?"
    assert not compares("we propose two techniques: Token Drop and Token Reroute", compared_side(drop, "Token Drop"))
    assert compares("Token Reroute is 1.2x faster than Token Drop", compared_side(drop, "Token Drop"))
    assert own_name("Infinite-LLM: Efficient LLM Service for Long Context", ("llms",)) == set()  # a service, no LLM
    assert own_name("RouterBench: A Benchmark for Multi-LLM Routing System", ("benchmark",)) == {"routerbench"}
    assert asks_winner("In ResponsibleTA, which of the two paradigms gave more accurate feasibility prediction?")
    ppp = "How much faster does PPP run than standard k-means with random restarts?"
    assert unmentioned(ppp, "FastPAM gives a 458x speedup over the original PAM SWAP algorithm") == {"PPP"}
    assert unmentioned(ppp, "probabilistic partitive partitioning needs no restarts") == set()  # written out
    assert unmentioned("How many GPUs does it need?", "eight accelerators") == set()  # a generic acronym
    assert unspoken_thing("What quantity do the authors characterize in dual ascent?", "constraint violation") is None
    assert focus("Which specific bitwidths are assigned to the clients?").quantity  # a bit-width is a number
    assert focus("How many total and per-token activated parameters does the model have?").count == ("paramet",)
    assert focus("How many papers from how many venues were surveyed?").count == ("venu",)  # not "how": no stopword
    assert focus("How many routed experts and how many shared experts does each layer contain?").count == ("expert",)
    assert focus("How much does validation perplexity change when weights are shared?").measure == ("perplex",)
    assert not focus("Along which performance and cost dimensions do the authors characterize the knobs?").quantity
    assert focus("How does the feature tree differ from a syntax tree in what it models?").name == ()
    assert focus("In which formal planning language are the domains specified?").name == ("plan", "languag")
    assert focus("Which prior works on compositional inference does the framework extend?").name == ("prior", "work")
    assert focus("Which five quantum circuits were used to evaluate it?").name == ("circuit",)
    assert focus("Which data augmentation strategy works best?").name == ()  # "works" is the verb here
    assert focus("In which languages were the datasets collected?").name == ()  # a natural language's name is a plain word
    fl = "Which model is used in the preference optimization experiments of Feasible Learning?"
    assert focus("How accurately do the two schemes predict the routing paths?").measure == ("accuraci",)
    asked = focus("How accurate is GPT-4 at solving olympiad problems?")  # the adjective asks for the figure too
    assert asked.quantity and asked.measure == ("accuraci",)
    assert focus("How much time does the solver add per training step?").measure == TIME_UNITS  # a duration, not "2x"
    assert focus("What is the median cold-start duration in the trace?").measure == ("durat",)
    assert focus("What arithmetic intensity, in FLOPs per byte, does the analysis find?").measure == ("flop",)
    three = "Which of GPT-3.5, GPT-4 and Llama3 produced the best unit tests on the platform?"
    assert winner_options(three) == {"gpt-3.5", "gpt-4", "llama3"} and winner_options("Which of the two is better?") == set()
    assert asks_winner("Which of the GNN-based and transformer-based models predicts latency more accurately?")
    assert "fl" in said_names(fl, "Feasible Learning")  # "models trained via FL": the question's own name, shortened
    assert new_names("models trained via FL show better tail behaviour", ("model",), said_names(fl, ""), window=6) == set()


def test_a_guessed_example_does_not_pull_in_another_papers_sentence(selector, corpus_papers):
    """"such as an LSTM" of a cost-model paper that names no architecture: the LSTM of another paper is no answer."""
    mlir = next(pid for pid in corpus_papers if pid.startswith("ml-driven-hardware-cost-model"))
    moe = next(pid for pid in corpus_papers if pid.startswith("outrageously-large-neural-networks"))
    sel = selector.select("Which neural network architecture, such as an LSTM or a transformer, is used for the MLIR "
                          "hardware cost model?", sources(corpus_papers, mlir, moe))
    assert not sel.answerable and sel.evidence[0].paper_id == mlir, sel.reason


@pytest.fixture(scope="module")
def selector(real_embedder, corpus_papers):
    checker = CitationChecker(real_embedder, CiteSettings(), prompts.refusal())
    texts = [f"{p.title}\n{p.abstract}" for p in corpus_papers.values()]
    return EvidenceSelector(real_embedder, checker.sentence_vectors, Vocabulary(texts), EvidenceSettings())


def sources(papers, *ids):
    return [Source(i, pid, papers[pid].title, papers[pid].abstract, "", 1.0, 0.6) for i, pid in enumerate(ids, start=1)]


def test_the_sentence_with_the_asked_number_is_selected(selector, corpus_papers):
    sel = selector.select("How many inference outcomes does the benchmark for routing among LLMs include?",
                          sources(corpus_papers, ROUTER))
    assert sel.answerable and "405k inference outcomes" in sel.answer_sentence
    assert any("405k" in e.sentence for e in sel.evidence) and 1 <= len(sel.evidence) <= 3


def test_datasets_named_after_evaluated_on_answer_which_datasets(selector, corpus_papers):
    trp = next(pid for pid in corpus_papers if pid.startswith("trp-trained-rank-pruning"))
    sel = selector.select("On which datasets was Trained Rank Pruning evaluated?", sources(corpus_papers, trp))
    assert sel.answerable and "CIFAR-10 and ImageNet" in sel.answer_sentence, sel.reason


@pytest.mark.parametrize("question, why", [
    ("How many distinct LLMs contributed the inference outcomes of the routing benchmark?", "counts"),
    ("Which web browser was the routing benchmark evaluated in?", "browser"),
    ("What accuracy does the routing benchmark reach on HumanEval+?", "HumanEval+"),
    ("By what percentage does the routing benchmark cut the energy consumption of routing?", "energi"),
    ("What accuracy does Tilus reach on the routing benchmark?", "Tilus"),  # a name the paper never uses
    ("How much faster is routing with the routing benchmark than without it?", "faster"),
    ("Which integer programming solver does the routing benchmark rely on?", "solver"),
])
def test_near_miss_questions_are_refused_with_a_reason(selector, corpus_papers, question, why):
    sel = selector.select(question, sources(corpus_papers, ROUTER))
    assert not sel.answerable and why in sel.reason, sel.reason


def test_which_x_does_it_find_is_answered_by_the_sentence_that_says_what_was_found(selector):
    src = Source(1, "cheatsheet", "The Responsible Model Development Cheatsheet", "Model development attracts many "
                 "contributors. To help shape responsible development practices, we introduce a cheatsheet: a growing "
                 "collection of 250+ tools and resources. The process of curating this list let us review the "
                 "AI development ecosystem, revealing gaps. We find that (i) tools for data sourcing are critically "
                 "under-serving real-world needs and (ii) evaluations lack reproducibility.", "", 1.0, 0.6)
    sel = selector.select("How many resources does the curated guide for responsible model development collect, and "
                          "which gaps does it find in existing practice?", [src])
    assert "250+" in sel.answer_sentence and sel.second_sentence.startswith("We find that"), sel.second_sentence


def test_a_name_asked_for_a_stated_result_must_stand_beside_that_result(selector):
    """'Which LLM powered the framework that reached 93.9%?' is not answered by the LLM of a background sentence."""
    def paper(result: str) -> Source:
        return Source(1, "planner", "Planning with Solvers", "Travel planning is hard for language models: on the "
                      "TravelPlanner benchmark the best LLM GPT-4 finds viable plans only 10% of the time. We propose a "
                      f"framework that formalizes planning as satisfiability. {result}", "", 1.0, 0.6)
    question = "Which LLM powered the planning framework that reached a 93.9% success rate on TravelPlanner?"
    background = selector.select(question, [paper("Our framework reaches a 93.9% success rate on TravelPlanner.")])
    assert not background.answerable and "93.9" in background.reason, background.reason
    beside = selector.select(question, [paper("Our framework, with the LLM GPT-4o, reaches a 93.9% success rate.")])
    assert beside.answerable and "GPT-4o" in beside.answer_sentence, beside.reason


def test_the_best_ones_figure_does_not_answer_for_a_named_one(selector):
    """'What accuracy did the AutoGPT agent score?' is not answered by 'The best agent achieved an accuracy of 21%'."""
    src = Source(1, "corebench", "CORE-Bench: A Reproducibility Benchmark for Agents", "We present CORE-Bench, a benchmark "
                 "of 270 tasks. We evaluated two baseline agents: the general-purpose AutoGPT and a task-specific agent "
                 "called CORE-Agent. The best agent achieved an accuracy of 21% on the hardest task.", "", 1.0, 0.6)
    named = selector.select("On CORE-Bench's hardest level, what accuracy did the general-purpose AutoGPT agent score?", [src])
    assert not named.answerable and "AutoGPT" in named.reason, named.reason
    best = selector.select("On CORE-Bench's hardest level, what accuracy did the best agent score?", [src])
    assert best.answerable and "21%" in best.answer_sentence, best.reason


def test_evidence_comes_from_the_paper_retrieval_is_sure_of(real_embedder):
    """A paper whose fused retrieval score leads the next by evidence.dominance gives the evidence, even when another
    paper has a sentence closer to the question's words (a measurement study quoted for 'Is there a review …?')."""
    review = Source(1, "review", "On-Device Language Models: A Comprehensive Review", "This review surveys language models "
                    "that run on edge devices. It covers model compression, hardware acceleration and collaborative "
                    "edge-cloud deployment. Case studies from mobile manufacturers show real applications.", "", 1.0, 0.66)
    study = Source(2, "study", "Are We There Yet? A Measurement Study of LLMs on Phones", "We measure how large language "
                   "models run on phones. Our experiments reveal that only small language models can run directly on "
                   "phones and other edge hardware, and that compression costs accuracy.", "", 0.45, 0.52)
    question = ("Is there a review of running language models directly on phones and other edge hardware that covers "
                "compression, hardware acceleration and splitting work with the cloud?")
    checker = CitationChecker(real_embedder, CiteSettings(), prompts.refusal())
    for dominance, best in ((1.0, 2), (EvidenceSettings().dominance, 1)):
        selector = EvidenceSelector(real_embedder, checker.sentence_vectors, Vocabulary([review.abstract, study.abstract]),
                                    EvidenceSettings(dominance=dominance))
        assert selector.select(question, [review, study]).best_n == best
    # a follow-up carries the previous answer's paper in first (score 0): the retrieval's own first paper still counts
    previous = Source(1, "prev", "Dynamics of Instruction Tuning", "We study how abilities grow during instruction tuning.",
                      "", 0.0, None)
    renumbered = [previous, replace(review, n=2), replace(study, n=3)]
    assert selector.select(question, renumbered, carried=1).best_n == 2


def test_a_figure_for_a_whole_list_does_not_answer_for_one_of_its_names(selector):
    """'How many molecules are in ToyMix?' is not answered by the molecules of ToyMix, LargeMix and UltraLarge together."""
    src = Source(1, "molbench", "MolBench: Molecular Datasets", "We present MolBench, seven molecular datasets. They come in "
                 "three categories: ToyMix, LargeMix and UltraLarge. They cover nearly 100 million molecules in total.",
                 "", 1.0, 0.6)
    one = selector.select("How many molecules are in the ToyMix category of the molecular datasets?", [src])
    assert not one.answerable and "ToyMix" in one.reason, one.reason
    whole = selector.select("How many molecules do the seven molecular datasets of MolBench cover?", [src])
    assert whole.answerable and "100 million" in whole.answer_sentence, whole.reason
    listed = selector.select("How many molecules do the ToyMix, LargeMix and UltraLarge datasets cover?", [src])
    assert listed.answerable, listed.reason  # the question lists them itself


def test_a_paper_named_as_the_asked_kind_answers_which_kind(selector, corpus_papers):
    """'Which benchmark …' is answered by a paper titled 'RouterBench: A Benchmark …' naming RouterBench in its abstract."""
    sel = selector.select("Which benchmark dataset was built to evaluate routing queries among multiple LLMs?",
                          sources(corpus_papers, ROUTER))
    assert sel.answerable and "RouterBench" in sel.answer_sentence, sel.reason


def test_a_number_only_in_a_link_sentence_is_no_answer(selector):
    """The gate looks for the asked number only among candidate sentences: a link sentence is none (it once crashed)."""
    src = Source(1, "foobench", "FooBench: A Benchmark for Parsers", "We present FooBench, a benchmark for testing parsers. "
                 "It is hard for current parsers. The data are at https://github.com/foo/bench (1,200 examples).", "", 1.0, 0.6)
    sel = selector.select("How many examples does the benchmark for testing parsers include?", [src])
    assert not sel.answerable and "number" in sel.reason, sel.reason


def test_a_result_that_runs_into_a_link_is_still_evidence(selector):
    """An abstract that lost a full stop ("… as low as 52.50% The collection is available at https://…"): the result
    before the link is a candidate; a plain link sentence stays out."""
    src = Source(1, "foobench", "FooBench: A Benchmark for Parsers", "We present FooBench, a benchmark for testing parsers. "
                 "It is hard for current parsers. Our code is available at https://github.com/foo/bench. The accuracy of "
                 "the best parser can fall as low as 41.5% FooBench is available at https://foo.github.io/bench.", "", 1.0, 0.6)
    sel = selector.select("How low can the accuracy of the best parser on the parser benchmark fall?", [src])
    assert sel.answerable and "41.5%" in sel.answer_sentence, sel
    assert not any(c.sentence.startswith("Our code") for c in sel.candidates)


def test_a_link_to_code_is_evidence_only_when_the_question_asks_where_to_get_something(selector, corpus_papers):
    devbench = next(pid for pid, p in corpus_papers.items() if p.title.startswith("DevBench"))
    asked = selector.select("Where do language models struggle in the benchmark of the whole software development "
                            "process, from design and environment setup to testing code?", sources(corpus_papers, devbench))
    assert asked.evidence and not any("https://" in e.sentence for e in asked.evidence)
    assert not any("https://" in c.sentence for c in asked.candidates)
    where = selector.select("Is the code of the software development benchmark DevBench available, and where?",
                            sources(corpus_papers, devbench))
    assert any("https://github.com/open-compass/DevBench" in c.sentence for c in where.candidates[:3])


def test_the_two_parts_of_a_two_part_question_are_read():
    assert parts("How many households are covered, and how many inspection protocols does it include?") == \
        ("How many households are covered?", "how many inspection protocols does it include?")
    assert parts("How many gradient steps does it use, and within what time budget?")[1] == "within what time budget?"
    one = "How many reasoning tasks and planning domains does the benchmark cover?"
    assert parts(one) == (one,)  # one question about two nouns
    assert len(parts("How does the method decide when to expand?")) == 1


HEAPO = "heapo-an-open-dataset-for-heat-1f8b318f"
QUANTUM = "automated-distribution-of-quantum-circuits-via-a6eb869e"


def test_each_part_of_a_two_part_question_gets_its_sentence(selector, corpus_papers):
    sel = selector.select("How many Swiss households with heat pumps are covered by the open smart-meter dataset, and how many "
                          "on-site inspection protocols does it include?", sources(corpus_papers, HEAPO))
    assert sel.answerable and "1,408 households" in sel.answer_sentence
    assert sel.two_part and "410" in sel.second_sentence  # the protocols stand in another sentence
    assert {sel.answer_sentence, sel.second_sentence} <= {e.sentence for e in sel.evidence}


def test_a_how_question_gets_the_sentence_after_the_one_that_restates_it(selector, corpus_papers):
    sel = selector.select("How does the automated approach for splitting a large quantum circuit across several agents, while "
                          "minimising quantum communication between them, actually solve the problem?",
                          sources(corpus_papers, QUANTUM))
    assert "We develop an automated method" in sel.evidence[0].sentence  # the best match only restates the question
    assert "hypergraph partitioning" in sel.second_sentence and not sel.two_part
    assert sel.second_sentence in {e.sentence for e in sel.evidence}


def test_which_papers_lists_a_paper_only_when_retrieval_also_ranks_it_near_the_best(selector, corpus_papers):
    question = "Which papers optimize large language model training on the Frontier exascale supercomputer?"
    frontier = ("optimizing-distributed-training-on-frontier-for-b9332943", "scaling-large-language-model-training-on-95d3a209")
    both = sources(corpus_papers, *frontier)
    assert {e.paper_id for e in selector.select(question, both).evidence} == set(frontier)
    far = [both[0], replace(both[1], score=0.3)]  # the second paper scored far below the best in retrieval
    assert {e.paper_id for e in selector.select(question, far).evidence} == {frontier[0]}


OSCILLATION = "solving-oscillation-problem-in-post-training-05bc75ca"
COMMUNITIES = "real-time-community-detection-in-large-2929c457"
CURATOR = "curator-efficient-indexing-for-multi-tenant-72310606"
LOCKING = "locking-machine-learning-models-into-hardware-6715a03f"


def test_the_first_part_gets_its_own_sentence_when_the_number_sentence_answers_the_second(selector, corpus_papers):
    sel = selector.select("What causes oscillation in post-training quantization according to a theoretical analysis, and how "
                          "much did fixing it help MobileNetV2*0.5 versus BRECQ?", sources(corpus_papers, OSCILLATION))
    assert "6.61%" in sel.answer_sentence
    assert "caused by the difference in module capacity" in sel.second_sentence  # not the other number sentence


def test_a_second_part_count_may_stand_further_from_its_noun_and_an_llm_is_a_model(selector, corpus_papers):
    sel = selector.select("How many problems are in the biology and chemistry benchmark that grades LLMs across five progressive "
                          "levels of scientific knowledge, and how many models were tested?",
                          sources(corpus_papers, "sciknoweval-evaluating-multi-level-scientific-kn-58e45373"))
    assert "50K" in sel.answer_sentence and sel.two_part
    assert "we benchmark 20 leading open-source and proprietary LLMs" in sel.second_sentence
    assert not counts("we benchmark 20 leading open-source and proprietary LLMs", ("model",))  # the gate's window is four


def test_a_how_does_question_gets_the_sentence_that_says_by_what_means(selector, corpus_papers):
    sel = selector.select("How does the single-machine graph system make exploring communities in huge social graphs "
                          "interactive on an ordinary laptop?", sources(corpus_papers, COMMUNITIES))
    assert "minhash signatures" in sel.second_sentence and sel.second_sentence in {e.sentence for e in sel.evidence}
    # no "by …ing" after the paper introduces itself: the sentence after "this paper presents Curator" says how
    curator = selector.select("How does a multi-tenant vector index reconcile per-tenant search performance with the memory "
                              "efficiency of a shared index?", sources(corpus_papers, CURATOR))
    assert "sub-trees of a shared clustering tree" in curator.second_sentence  # not "… is currently achieved by building …"
    locking = selector.select("What mechanisms make it feasible to lock an ML model to specific hardware so it is inconvenient "
                              "to run on unauthorized devices?", sources(corpus_papers, LOCKING))
    assert "by either targeting efficiency of model representations" in locking.second_sentence


def test_a_quote_that_announces_a_list_brings_the_sentence_that_gives_it(selector, corpus_papers):
    from rag.answer import with_continuations

    columnar = "an-empirical-evaluation-of-columnar-storage-73b630fc"
    sel = selector.select("What design choices does the benchmark study of the two most popular open-source column-oriented "
                          "file formats for data analysis recommend for today's hardware and data?", sources(corpus_papers, columnar))
    announce = next(e for e in sel.evidence if "we identify design decisions" in e.sentence)
    quoted = [e.sentence for e in with_continuations([announce], sel)]
    assert len(quoted) == 2 and quoted[1].startswith("These include using dictionary encoding by default")


CORPUS = Source(1, "bnmt", "Batch Filtering for Bengali-English Translation",
                "Public Bengali corpora hold much noise. We propose batch filtering for parallel corpus creation. We compile a "
                "Bengali-English corpus of 2.75 million sentence pairs. We also evaluate on a new test set of 1000 pairs. "
                "Training takes 10 times less time than before.", "", 1.0, 0.6)


def test_by_what_factor_needs_a_ratio(selector):
    """A count near the asked words ('2.75 million sentence pairs') does not say by what factor something changed."""
    sel = selector.select("By what factor does batch filtering shrink the Bengali-English corpus?", [CORPUS])
    assert not sel.answerable, sel.reason
    ok = selector.select("By what factor does training time drop?", [CORPUS])
    assert ok.answerable and "10 times" in ok.answer_sentence, ok.reason


def test_evidence_about_what_the_question_excludes_or_compares_nothing_asked_is_refused(selector):
    """'plain ReLU (not leaky-ReLU)' is not answered by the leaky-ReLU width; 'physics versus biology' needs either."""
    src = Source(1, "width", "Minimum Width of Leaky-ReLU Networks", "The width of networks matters. This paper gives the exact "
                 "minimum width of the leaky-ReLU network for uniform approximation as d+1.", "", 1.0, 0.6)
    sel = selector.select("What is the exact minimum width for plain ReLU (not leaky-ReLU) networks?", [src])
    assert not sel.answerable and "leaky-ReLU" in sel.reason, sel.reason
    assert selector.select("What is the exact minimum width of leaky-ReLU networks?", [src]).answerable
    versus = selector.select("How many sentence pairs come from news versus legal text?", [CORPUS])
    assert not versus.answerable and "compared" in versus.reason, versus.reason


def test_what_value_of_a_quantity_asks_a_number_that_measures_it():
    """'What numerical value of the storage capacity': a number near 'capacity'; 'what capacity value' alike."""
    assert focus("What numerical value of the maximal storage capacity is found?").measure == ("capac",)
    assert focus("What capacity value does 4-bit quantization get?").measure == ("capac",)
    assert focus("What value of the Hubble constant is inferred?").quantity


def test_by_what_factor_has_something_grown_measures_its_subject():
    """'By what factor has the training compute … grown?' asks about compute, not any ratio the abstract gives."""
    assert focus("By what factor every two years has the training compute required by Transformer models grown?").measure == (
        "comput",)


def test_which_specific_asks_for_a_name_and_a_vague_scale_is_no_figure(selector):
    """'Which specific … problems' wants them named (NP-hard names none); 'billions of parameters' gives no size; an
    acronym the abstract coins for the question's own words ('hyperparameter optimization (HPO)') names no tool."""
    src = Source(1, "co", "Learning to Solve Combinatorial Problems", "Combinatorial optimization (CO) problems are often "
                 "NP-hard. We design decision processes for different combinatorial problems. Our method boosts models with "
                 "billions of parameters. We adopt principled hyperparameter optimization (HPO) and compare HPO tools on many "
                 "tasks.",
                 "", 1.0, 0.6)
    problems = selector.select("Which specific combinatorial optimization problems were the decision processes designed for?",
                               [src])
    assert not problems.answerable and "problem" in problems.reason, problems.reason
    size = selector.select("What is the largest model, in parameter count, that the method was shown to boost?", [src])
    assert not size.answerable, size.reason
    tools = selector.select("Which specific hyperparameter optimization tools were compared?", [src])
    assert not tools.answerable and "tool" in tools.reason, tools.reason
    named = replace(src, abstract=src.abstract + " We evaluate on the TSP and MaxCut problems.")
    assert selector.select("Which specific combinatorial optimization problems were evaluated?", [named]).answerable


def test_a_relative_or_embedded_which_asks_no_name():
    """', which evaluates LLMs …, what is …?' and 'selecting which LLM to fine-tune' ask no LLM; a hyphenated first
    part ('algorithm-hardware co-design') is no kind; 'which specific clustering algorithm turns out …' asks one."""
    assert focus("According to RBench, which evaluates LLMs on scheduling, what is the principal bottleneck?").name == ()
    assert focus("In the work on selecting which LLM to fine-tune, what concept is added to the law?").name == ()
    assert focus("In the framework where LLMs write tools, which model served as the tool maker?").name == ("model",)
    assert focus("Which algorithm-hardware co-design reports average speedups?").name == ()
    assert focus("Which specific clustering algorithm turns out to be the unique scheme?").name == ("algorithm",)


def test_shares_percentages_and_idioms_need_their_own_form(selector):
    """'By what percentage' needs a percentage, 'how much of X's gain' a share ('sharing these blocks' near '(3)' is
    none), 'from one language to another' counts nothing; 'as the set grows' is answered by 'a constant overhead'."""
    src = Source(1, "fold", "FoldNet: Block Sharing", "FoldNet compresses models by sharing blocks across layers. (3) After "
                 "sharing these blocks, we add a distillation step. Our two memory-efficient methods share weights. Code "
                 "moves from one programming language to another. Training has a constant memory overhead for any set size.",
                 "", 1.0, 0.6)
    for q in ("By what percentage do the two methods reduce memory usage?",
              "How much of FoldNet's accuracy recovery comes from the distillation step?",
              "How many programming languages does FoldNet cover?"):
        sel = selector.select(q, [src])
        assert not sel.answerable, (q, sel.reason)
    grows = selector.select("What memory overhead does FoldNet's training incur as the set size grows?", [src])
    assert grows.answerable and "constant" in grows.answer_sentence, grows.reason


def test_besides_hardware_and_name_variants():
    """'Besides JSON and YAML, which …' needs a sentence listing something else; 'on 32 NVIDIA A100 GPUs' names no
    baseline; 'Mixtral-8x7B' is no new name when the question said Mixtral; 'which commonsense and arithmetic reasoning
    benchmarks' asks a benchmark by name."""
    q = "Besides JSON and YAML, which code representations does the benchmark cover?"
    assert besides(q) == ["JSON", "YAML"]
    assert lists_beside("It covers JSON, YAML and XML.", besides(q))
    assert not lists_beside("It covers DSLs such as JSON and YAML across five representations.", besides(q))
    assert not lists_beside("several problems like graph reachability are hard", besides("Besides graph reachability, which?"))
    assert hardware_names("with 32 NVIDIA A100 GPUs") == {"nvidia", "a100"} and not hardware_names("vLLM on GPUs")
    assert not baseline_names("Our system improves throughput 2x over baselines on 32 NVIDIA A100 GPUs.",
                              "Which serving systems did DistKV-LLM outperform?", "Infinite-LLM")
    assert not new_names("Experiments on Mixtral-8times7B for reasoning tasks", ("benchmark",), {"mixtral"})
    assert focus("Which specific commonsense and arithmetic reasoning benchmarks were used?").name == ("benchmark",)


def test_kinds_that_begin_compounds_and_phrases_headed_elsewhere():
    """'Which four routing functions does …' asks functions by name, 'differentiable architecture search' does not ask an
    architecture; a plural noun or a description word around the kind is what is asked ('What benefits motivate deploying
    LLMs', 'Which model compression techniques'); modifiers do not cross 'of' or 'do' ('What shortcoming of existing
    capacity measures'); a count's noun may be the fourth word; 'what value is the threshold set to' measures it."""
    assert focus("Which four MoE routing functions does FSMoE support?").name == ("function",)
    assert focus("Which HGNN architecture acts as the teacher for the student MLP?").name == ("architectur",)
    assert focus("Between which deep learning frameworks does the dataset translate code?").name == ("framework",)
    assert focus("What benefits appear when differentiable architecture search is adapted to it?").name == ()
    assert focus("Which Indonesian pretrained Transformer model is recommended?").name == ("model",)
    assert focus("What benefits motivate deploying LLMs and LMMs on mobile devices?").name == ()
    assert focus("Which existing books dataset was pre-processed for the benchmark?").name == ("dataset",)
    assert focus("Which physics benchmarks were used?").name == ("benchmark",)
    assert focus("Which model compression techniques for MoE models does the survey cover?").name == ()
    assert not focus("What shortcoming of existing capacity measures motivates the local effective dimension?").quantity
    assert not focus("What do the cost-aware variants of the runtime metric take into account?").quantity
    assert focus("How many existing CTR prediction models were re-evaluated?").count == ("model",)
    assert focus("How many total and per-token activated parameters does the model have?").count == ("paramet",)
    assert focus("What value is the similarity threshold set to in the compensation mechanism?").measure == ("threshold",)


def test_baselines_lists_and_clauses_that_exclude_nothing():
    """'Compared with which previous method', 'Which state-of-the-art methods' ask baselines; the names of a list that a
    kind's word introduces ('frameworks, including …') are of that kind however far; 'properties not leveraged by
    PPO' excludes nothing; 'what resources' is no thing an abstract must name."""
    assert asks_baseline("Compared with which previous neural architecture search method is the 421x lower cost reported?")
    assert asks_baseline("Which state-of-the-art methods form the comparison behind the 28.5% memory reduction?")
    assert not asks_baseline("Which dataset was used to train the model?")
    listed = ("We evaluate six constrained decoding frameworks, including Guidance, Outlines, Llamacpp, XGrammar, OpenAI, "
              "and Gemini.")
    assert "xgrammar" in new_names(listed, ("framework",), set(), 4)
    assert "xgrammar" not in new_names("frameworks are many; we study Guidance, Outlines, Llamacpp and XGrammar", ("framework",),
                                       set(), 4)
    assert excluded("Which three properties of RLHF tasks, not leveraged by PPO, does ReMax exploit?",
                    "ReMax exploits fast simulation, unlike PPO.") is None
    assert excluded("Which activation (not leaky-ReLU) is used?", "It uses leaky-ReLU.") == "leaky-ReLU"
    assert unspoken_thing("What resources does the released toolkit provide?", "It provides environments and prompts.") is None
    # a short word part of a name must be a word of the text: "Yi" is not in "only in" (it was, as a substring)
    assert unmentioned("How many experts does Yi-Lightning's model have?", "It holds only in small models.") == {"Yi-Lightning"}
    assert not unmentioned("How many experts does Yi-Lightning's model have?", "Yi-Lightning uses experts.")
    assert not unmentioned("How does the RL-style method work?", "inverse-RL methods are conservative")


def test_complexity_and_rank_questions_need_their_answer():
    """'What is the time complexity of …' needs an O(·) or a named growth, not 'bounded complexity'; 'how do A, B and C
    rank' needs a sentence that ranks; 'low-rank' is no ranking."""
    q = "What is the time complexity of the MMA algorithm as a function of the number of simplices?"
    assert asks_complexity(q) and not asks_complexity("How long does MMA take to run on the data sets?")
    assert gives_complexity("The algorithm runs in O(n log n) time.") and gives_complexity("SACA runs in near linear time.")
    assert not gives_complexity("MMA has bounded complexity and running time.")
    assert asks_winner("On the hard tasks, how do GPT-4o, Claude, and Gemini rank relative to one another?")
    assert not asks_winner("How does the approach assemble each layer's low-rank matrices?")


def test_a_rare_name_of_the_question_anchors_it_to_the_paper():
    """'What does MGARD stand for?' is about MGARD's paper however low its cosine: the name is in few chunks and in the
    paper; a common name (GPT-4) or one the paper lacks anchors nothing."""
    df = {"mgard": 2, "gpt-4": 40, "gpt": 60, "4": 300}.get
    count = lambda t: df(t) or 0  # noqa: E731
    text = "MGARD: MultiGrid Adaptive Reduction for floating-point scientific data. GPT-4 is not used."
    assert anchors("What does the name MGARD stand for?", text, count) == {"MGARD"}
    assert anchors("What does GPT-4 say about it?", text, count) == set()
    assert anchors("What does the name MGARD stand for?", "Another paper about compression.", count) == set()


def test_words_that_speak_of_the_asked_thing_and_names_behind_the_question_words():
    # a compound of the asked word speaks of it; an API is an interface
    assert unspoken_thing("Which skills should pedagogy emphasize?", "greater emphasis on diverse skillsets") is None
    assert unspoken_thing("Through which interface does NDIF give access?", "access via the NNsight API") is None
    assert unspoken_thing("Which formulation does the survey use?", "we study the scaling problem") == "formulation"
    # "which circuit properties": the properties are asked, not a circuit's name
    assert focus("In terms of which circuit properties are the conditions expressed?").name == ()
    assert focus("Which real-world system designs does the survey cover?").name == ("system",)
    # only the question's own words stand between the name and its kind: it is within reach
    said = frozenset({"embedded", "cross", "compiler", "tool"})
    sentence = "a configuration layering system for the Buildroot embedded cross-compiler tool which re-targets"
    assert new_names(sentence, ("tool",), set(), 4, said) == {"buildroot"}
    assert new_names(sentence, ("tool",), set(), 4) == set()
    # other words between them keep the distance ("APIphany on three real-world APIs")
    said = frozenset({"three", "real", "world", "apis"})
    assert new_names("We evaluate APIphany on three real-world APIs", ("api",), set(), 4, said) == set()


def test_what_an_acronym_stands_for_is_the_sentence_that_writes_it_out():
    assert asked_expansion("What does the name MGARD stand for?") == "MGARD"
    assert asked_expansion("What is RAG short for?") == "RAG"
    assert asked_expansion("What does sparsity mean here?") is None  # no acronym: not asked to write one out
    mgard = "We describe MGARD, a software providing MultiGrid Adaptive Reduction for floating-point scientific data."
    assert written_out("MGARD", mgard) == "MultiGrid Adaptive Reduction for floating-point scientific data"
    assert written_out("MGARD", "MGARD has been optimized with highly-tuned GPU kernels.") is None
    assert written_out("PEFT", "parameter-efficient fine-tuning (PEFT) methods") == "parameter-efficient fine-tuning"
    assert written_out("RAG", "a retrieval system augments the generator") is None  # letters in the wrong words


def test_the_sentence_that_writes_out_the_asked_acronym_answers_and_none_refuses(selector, corpus_papers):
    mgard = next(pid for pid in corpus_papers if pid.startswith("mgard-a-multigrid-framework"))
    sel = selector.select("What does the name MGARD stand for?", sources(corpus_papers, mgard))
    assert sel.answerable and "MultiGrid Adaptive Reduction" in sel.answer_sentence, sel.reason
    assert "MultiGrid Adaptive Reduction" in sel.evidence[0].sentence
    sel = selector.select("What does the name RouterBench stand for?", sources(corpus_papers, ROUTER))
    assert not sel.answerable and "stands for" in sel.reason


def test_an_unspoken_asked_word_refuses_only_when_asked_to(real_embedder, corpus_papers):
    """Off by default: on fresh dev pairs the rule refused more answerable questions (the abstract uses another word:
    "skillsets", "API") than near-misses it caught."""
    fedp3 = next(pid for pid in corpus_papers if pid.startswith("fedp3"))
    checker = CitationChecker(real_embedder, CiteSettings(), prompts.refusal())
    texts = [f"{p.title}\n{p.abstract}" for p in corpus_papers.values()]
    question = "Which pruning criterion does FedP3 use to decide which weights each client's model removes?"
    strict = EvidenceSelector(real_embedder, checker.sentence_vectors, Vocabulary(texts),
                              EvidenceSettings(refuse_unspoken=True)).select(question, sources(corpus_papers, fedp3))
    assert not strict.answerable and "speaks of no criterion" in strict.reason
    default = EvidenceSelector(real_embedder, checker.sentence_vectors, Vocabulary(texts),
                               EvidenceSettings()).select(question, sources(corpus_papers, fedp3))
    assert "speaks of no" not in default.reason


def test_number_of_counts_times_is_a_ratio_and_a_besides_clause_asks_no_name():
    f = focus("What is the largest number of tasks merged in the vision and NLP experiments?")
    assert f.count == ("task",) and f.measure == ()  # "number of tasks": tasks are counted
    assert focus("Roughly how many times fewer parameters does it need than LoRA?").count == ()  # a ratio, no count
    assert not new_number("Web3 protocols eschew centralized databases")  # a digit ending a name is no figure
    assert focus("Apart from choosing which LLM answers a query, what other part could routing serve?").name == ()
    assert focus("What hardware limitation motivates distributing quantum circuits?").name == ()
    other = "Routing can be expanded to other components of the agent, such as the selection of embedding strategies."
    assert lists_beside(other, ["choosing which LLM answers a query"])
    assert not lists_beside("Routing selects which LLM answers a query.", ["choosing which LLM answers a query"])


def test_a_multiple_in_words_answers_by_how_much(selector, corpus_papers):
    synth = next(pid for pid in corpus_papers if pid.startswith("program-synthesis-with-large-language-models"))
    sel = selector.select("How much does natural-language feedback from a human reduce the error rate of the "
                          "synthesized programs?", sources(corpus_papers, synth))
    assert sel.answerable and "halves the error rate" in sel.answer_sentence, sel.reason


def test_a_multiple_in_words_answers_the_rewritten_follow_up_too(selector, corpus_papers):
    # a follow-up's condensed question may drop the auxiliary ("How much X reduces …"): the same answer
    synth = next(pid for pid in corpus_papers if pid.startswith("program-synthesis-with-large-language-models"))
    sel = selector.select("How much natural-language feedback from a human reduces the error rate of synthesized "
                          "programs?", sources(corpus_papers, synth))
    assert sel.answerable and "halves the error rate" in sel.answer_sentence, sel.reason


def test_round_10_asks_read_from_the_question():
    # "how many" inside a "What …" question asks no count; "pass" ends the counted phrase
    assert not focus("What novel notion does the result on how many rankings fairness constraints need rely on?").quantity
    assert focus("How many training iterations pass between successive low-rank approximation steps?").count == ("iter",)
    # one noun after the kind's word is named too ("the Hadoop ecosystem"); not a word that runs on
    assert focus("In what era and for which software ecosystem were Parquet and ORC designed?").name == ("softwar", "ecosystem")
    assert focus("Which LLM data-processing toolkit offers this?").name == ("llm", "toolkit")
    # improvements "given as examples" are named, not measured
    assert not focus("Which algorithm-level improvements are given as examples in the survey?").quantity
    # "2/4-bit" and "2/4 bit" are the same setting
    assert other_count("How much does it beat the best PTQ method on 2/4-bit ResNet-50?",
                       "with 2/4 bit ResNet-50 quantization, our method surpasses it by 1.9%.") is None
    assert other_count("How accurate is it on 3/4-bit ResNet-50?", "with 2/8 bit ResNet-50 it reaches 60%.") == "2, 8 bit"
    # a set-aside clause said in other words, then "and" more
    said = ("Octopus v4 leverages functional tokens to direct user queries to the most appropriate vertical model and "
            "reformat the query to achieve the best performance.")
    assert lists_beside(said, ["directing a user query to a vertical model"])
    assert not lists_beside("It directs user queries to the most appropriate vertical model.",
                            ["directing a user query to a vertical model"])
    assert asks_baseline("Which prior set encoder is used as the main baseline against UMBC?")
    assert asks_baseline("Which methods was adapter tuning compared against when the authors found it superior?")
    # a sentence-initial definition is generic too: CIL names no baseline
    assert generic_abbreviations("Class-incremental learning (CIL) aims to learn new classes.") == {"cil"}
    assert unsaid_runs("Which bit-width does the Generalized Edge Model use?", "GEM: a generalized edge model") == set()
    assert unsaid_runs("Which bit-width does the Generalized Edge Model use?", "MobileQuant quantizes LLMs") == {
        "Generalized Edge Model"}
    assert unsaid_runs("Which Southeast Asian languages are covered?", "Indonesian and Thai") == set()


def test_a_model_asked_in_a_role_needs_a_sentence_that_gives_it_that_role(selector, corpus_papers):
    # "fine-tuned from": a model named for another reason ("GPT-4 … is expensive") is no answer
    octopus = next(pid for pid in corpus_papers if pid.startswith("octopus-v4"))
    sel = selector.select("Which base language model was Octopus v4 fine-tuned from?", sources(corpus_papers, octopus))
    assert not sel.answerable and "in that role" in sel.reason
    sel = selector.select("Besides directing a user query to a vertical model, what does Octopus v4 do to the query "
                          "itself?", sources(corpus_papers, octopus))
    assert sel.answerable and "reformat the query" in sel.answer_sentence, sel.reason


def test_the_best_ones_figure_answers_when_it_names_the_asked_one():
    best = "the best LLM OpenAI o1-preview can only find viable travel plans with a 10% success rate"
    assert named_besides_best("What success rate did OpenAI o1-preview achieve on TravelPlanner?", "LLMs can plan", best) == []
    assert named_besides_best("What success rate did AutoGPT achieve on TravelPlanner?", "LLMs can plan",
                              "the best agent achieved a 21% success rate") == ["AutoGPT", "TravelPlanner"]


def test_round_12_gpu_types_findings_about_a_measure_tex_residue_and_as_well():
    assert focus("What type of GPU were the benchmarking experiments run on?").name == ("gpu",)
    assert focus("What kind of model does S^3 use to predict the output length?").name == ()  # a description
    assert not focus("What surprising finding about memory efficiency do the authors report?").quantity
    tex = r"With a compression rate as much as sim50times, MiniMoE preserves sim95\% GLUE score of the teacher."
    assert new_number(tex, frozenset({"50"})) and measures(tex, ("fraction",))
    assert lists_beside("Scaling to so many customers puts a constraint on storage space as well.", ["cold-start problem"])
    assert not lists_beside("Scaling to so many customers puts a constraint on storage space.", ["cold-start problem"])


def test_session_34_reads_metrics_families_and_participles():
    """pass@k is a measure; "which family of optimizers" names optimizers; "GPUs used in …" counts GPUs."""
    asked = focus("What pass@200 does PLANSEARCH built on Claude 3.5 Sonnet achieve on HumanEval+?")
    assert asked.quantity and "pass" in asked.measure
    assert focus("Which family of memory-saving optimizers does CO2 integrate with?").name != ("famili",)
    assert focus("What is the total number of GPUs used in the largest-scale FSMoE training experiment?").count == ("gpus",)
    assert focus("How many papers from how many venues were surveyed?").count == ("venu",)
    assert not focus("Which metric was used to score the quality of the generated text?").quantity  # a metric is named
    assert asks_baseline("Which Chinese language model does GLM-130B consistently outperform across related benchmarks?")


def test_a_figure_for_a_sibling_name_does_not_answer_for_the_asked_one(selector):
    """A figure given for LiveCodeBench (listed with the asked HumanEval+) or for GPT-4 (the asked GPT-3.5's family)
    answers neither; the same figure answers for the name it is given for."""
    abstract = ("We propose PLANSEARCH, a search algorithm which shows strong results across HumanEval+, MBPP+, and "
                "LiveCodeBench. Using PLANSEARCH on top of Claude 3.5 Sonnet achieves a pass@200 of 77.0% on LiveCodeBench.")
    src = Source(1, "plan", "Planning In Natural Language Improves Code Search", abstract, "", 1.0, 0.6)
    other = selector.select("What pass@200 does PLANSEARCH on Claude 3.5 Sonnet achieve on HumanEval+?", [src])
    assert not other.answerable, other.reason
    asked = selector.select("What pass@200 does PLANSEARCH on Claude 3.5 Sonnet achieve on LiveCodeBench?", [src])
    assert asked.answerable and "77.0%" in asked.answer_sentence, asked.reason
    assert sibling_named("How many A100 GPUs would training GPT-3.5 need?", "x", "",
                         "Training GPT-4 would need 1,174 to 8,800 A100 GPUs.") == "GPT-4, not GPT-3.5"
    assert sibling_named("How many A100 GPUs would training GPT-4 need?", "x", "",
                         "Training GPT-4 would need 1,174 to 8,800 A100 GPUs, far more than GPT-3.5.") is None
    assert sibling_named("What speedup on Mixtral-8x7B?", "x", "", "a 1.94times speedup on Mixtral-8times7B-Instruct") is None


def test_a_year_or_period_is_asked_and_a_compared_model_may_stand_anywhere(selector):
    """"What time period does the survey cover?" needs a year; "which model does it outperform" is answered by a
    well-known model's name however far from the word "model" it stands."""
    survey = Source(1, "s", "A Survey of Ledgers for IoT", "We review ledger technologies for the Internet of Things. "
                    "We build a knowledge graph of the literature and find five research gaps.", "", 1.0, 0.6)
    assert not selector.select("What publication time period does the survey of ledgers for IoT cover?", [survey]).answerable
    dated = replace(survey, abstract=survey.abstract + " The review covers papers published from 2016 to 2023.")
    assert selector.select("What publication time period does the survey of ledgers for IoT cover?", [dated]).answerable
    assert selector.select("When was the ledger survey for IoT published?", [dated]).answerable
    sel = selector.select("When was the ledger survey for IoT published?", [survey])  # before: its abstract, quoted
    assert not sel.answerable and "year" in sel.reason
    tpus = replace(survey, abstract=survey.abstract + " It was built on 2048 TPUs.")  # a count, no year
    assert not selector.select("When was the ledger survey for IoT published?", [tpus]).answerable
    glm = Source(1, "glm", "GLM-130B: An Open Bilingual Pre-trained Model", "We introduce GLM-130B, a bilingual model with "
                 "130 billion parameters. GLM-130B offers significant outperformance over GPT-3 175B on a wide range of "
                 "popular English benchmarks.", "", 1.0, 0.6)
    sel = selector.select("Which model does GLM-130B significantly outperform on popular English benchmarks?", [glm])
    assert sel.answerable and "GPT-3 175B" in sel.answer_sentence, sel.reason
    assert model_names("It outperforms ERNIE TITAN 3.0 260B and GPT-3.", {"gpt"}) == {"ernie"}  # GPT is the question's


def test_a_count_of_the_asked_things_names_none_of_them(selector):
    """"Which eight datasets …" is not answered by "experiments on eight hypergraph datasets demonstrate …" (nor by
    a name after the clause that follows it, or a decimal quantity, "5.5w vertices"); a sentence that lists the counted
    things after the count or before it answers."""
    abstract = ("We introduce LightHGNN, which distills hypergraph neural networks (HGNNs) into MLPs. Experiments on eight "
                "hypergraph datasets demonstrate that the proposed LightHGNNs outperform HGNNs. Experiments on synthetic "
                "hypergraphs with 5.5w vertices indicate LightHGNNs can run 100times faster than HGNNs.")
    src = Source(1, "light", "LightHGNN: Distilling Hypergraph Neural Networks into MLPs", abstract, "", 1.0, 0.6)
    sel = selector.select("Which eight hypergraph datasets were used to evaluate LightHGNN?", [src])
    assert not sel.answerable and "speaks of the datasets but names none" in sel.reason, sel.reason
    assert new_names("Experiments on synthetic graphs with 5.5w vertices", ("dataset",), set()) == set()
    sentences = ["The benchmark consists of 7 reasoning tasks over 13 planning domains."]
    assert counted_not_listed("What are the names of the seven reasoning tasks in ACPBench?", sentences) == "tasks"
    assert counted_not_listed("What are the two subsets of LimitGen?",
                              ["Our benchmark consists of two subsets: LimitGen-Syn and LimitGen-Human."]) is None
    assert counted_not_listed("Which four strategies does MoS integrate?",
                              ["MoS integrates four cost-free strategies, namely subset selection and pair dissociation."]) is None
    assert counted_not_listed("Which two constructions is MMA based on?",
                              ["It is based on fibered barcodes and exact matchings, two constructions from topology."]) is None
    assert counted_not_listed("Which two spaces make up the dual-space model?", ["A dual-space model unifies two tasks."]) is None
    assert counted_not_listed("Which four strategies did the authors investigate?", ["We investigate four training "
                              "strategies with data augmentation, hyperparameter optimization and transfer."]) is None
    assert counted_not_listed("Which four models were enhanced?", ["It improves four one-step models across two "
                              "benchmarks, T2I-CompBench and GenEval."]) == "models"


def test_a_lists_markers_are_no_figures():
    """"We observe: (1) …, (2) … modulate compute efficiency" measures no compute; "2.5x less compute" does."""
    listed = "We observe: (1) Not all recipes scale, (2) details modulate compute efficiency, and (iii) others do not."
    assert not measures(listed, ["comput"]) and not new_number(listed)
    assert measures("It needs 2.5x less compute than the baseline.", ["comput"])


def test_types_and_changes_of_a_kind_are_described_not_named():
    """"Which Transformer model types" (encoder and decoder) and "what hardware change" (more TSVs) ask no name;
    "which GPU types" still asks for one (A100)."""
    assert focus("In the memory wall analysis, which Transformer model types are analyzed?").name == ()
    assert focus("What hardware change does Logic-PIM make to get high bandwidth?").name == ()
    assert focus("Which GPU types make up the two clusters on which FSMoE was evaluated?").name == ("gpu",)


def test_round_15_counted_nouns_zero_counts_rates_licences_examples_and_whose_size(selector):
    """Round 15 (dev-1223): a plural noun's verb ends the counted phrase; "none" counts; a rate per second is a
    throughput; a licence is named; an example list's own asked word is no sign of it; a size is the asked thing's."""
    assert focus("How many weather stations supply the weather data bundled with the HEAPO dataset?").count == ("station",)
    assert focus("How many distinct lessons from data integration research does the paper enumerate?").count == ("lesson",)
    assert focus("Which specific techniques fall under the data-centric category of the survey?").name == ("techniqu",)
    assert unsaid_runs("How large was the error that the Materials Project-grounded agent corrects?",
                       "An agent grounded in data from the Materials Project corrects the error.") == set()
    assert none_of("We have also not omitted reporting of failed attempts (there were none).", ("attempt",))
    assert not none_of("No single model can optimally address all tasks.", ("llms",))
    assert not none_of("No single model can optimally address all tasks.", ("model",))  # "How many models …?"
    assert none_of("It adds no extra parameters.", ("paramet",))
    assert measures("achieving over 100 tokens per second (TPS) for inference", ("throughput",))
    assert lists_beside("Furthermore, the few public datasets are scattered across platforms.",
                        ["researchers not publishing their data"])
    assert focus("Under what license is the HEAPO dataset released?").name == ("licens",)
    assert new_names("We release the model under an Apache 2.0 license.", ("licens",), set(), 4) == {"apache"}
    assert none_offered("Under what kind of constraint, such as a cardinality or matroid constraint, is it maximized?",
                        "We maximize a submodular function under a constraint.")
    assert offered("How can agents plan tool calls, for instance because a call would erase stored records?") == []
    assert asked_expansion("What do the four letters of IRAC stand for in LegalBench?") == "IRAC"
    assert focus("What agreement threshold does Consensus Merging use to decide which weights to keep?").quantity
    assert focus("What window size does the windowing technique keep?").whose == "window"
    assert focus("What response latency did cloud services achieve?").whose is None
    flash = Source(1, "flash", "LLM in a flash", "First, windowing reuses previously activated neurons. These methods "
                   "enable running models up to twice the size of the available DRAM.", "", 1.0, 0.6)
    assert not selector.select("What window size does LLM in a flash's windowing technique keep?", [flash]).answerable
    mobi = Source(1, "mobi", "MobiLlama: Towards Accurate and Lightweight Fully Transparent GPT", "MobiLlama is a SLM "
                  "design that initiates from a larger model and applies a careful parameter sharing scheme.", "", 1.0, 0.6)
    sel = selector.select("Which larger model is MobiLlama initiated from before applying parameter sharing?", [mobi])
    assert not sel.answerable and "in that role" in sel.reason, sel.reason


def test_the_too_weak_check_reads_the_stock_similarity_whatever_the_tuned_weight():
    """min_score is calibrated on the stock vectors at dense_weight: a tuned similarity weighted 3x must not move it."""
    from rag.evidence import Scored

    src = Source(1, "p", "T", "One sentence.", "One sentence.", 1.0)
    sel = EvidenceSelector(None, None, None, EvidenceSettings(tuned_weight=3.0))
    tuned = Scored(src, 0, "One sentence.", dense=0.9, overlap=0.5, novelty=1.0, number=False, contribution=False,
                   position=0.0, stock=0.4)
    stock = replace(tuned, dense=0.4, stock=None)
    tuned.score, stock.score = sel.score(tuned, focus("what?")), sel.score(stock, focus("what?"))
    assert tuned.score - stock.score == pytest.approx(3.0 * 0.9 - 0.4)  # the tuned similarity ranks at its weight
    assert sel.strength([tuned]) == pytest.approx(stock.score)  # and the strength is the stock one's score


def test_broad_questions_ask_for_the_fields_papers_and_a_detail_of_one_paper_does_not():
    for q in ("What techniques reduce the memory footprint of the KV cache?",
              "What are the main ways to cut communication in distributed training?",
              "What strategies exist for synthesizing LLM fine-tuning data, and how do they compare in cost?",
              "What tools and methods are used to clean and filter pretraining data?",
              "What are the main categories of techniques for making large language models resource-efficient?"):
        f = focus(q)
        assert broad(q) and f.multi and not f.quantity, q  # techniques are asked, not a memory figure
    for q in ("Which techniques does CO2 add to improve convergence and training stability?",
              "Which training strategies did the authors investigate to address the instability?",
              "Which two strategies for scaling test-time computation in RAG does the study focus on?",
              "Which model compression techniques are named as examples in the roofline-model survey?",
              "Which specific techniques fall under the data-centric category of the efficient LLM survey?",
              "What techniques lie at the heart of the theoretical analysis of Fed-GO-UCB?",
              "Which baseline constraint-learning methods is the multi-task approach compared against?"):
        assert not broad(q) and not focus(q).multi, q


def test_a_listed_paper_is_quoted_where_it_says_what_it_does(selector, corpus_papers):
    """Dev m015 and m011: the sentence that presents each paper's system or method, not a late result sentence."""
    for question, paper, start in (
            ("Which papers study or build systems on serverless (function-as-a-service) cloud platforms?",
             "lifl-a-lightweight-event-driven-serverless-004850d1", "We present LIFL"),
            ("Which papers optimize large language model training on the Frontier exascale supercomputer?",
             "scaling-large-language-model-training-on-95d3a209", "In this paper, we propose a 3-level hierarchical")):
        sel = selector.select(question, sources(corpus_papers, paper))
        assert sel.answerable and sel.evidence[0].sentence.startswith(start), sel.evidence[0].sentence


def test_asking_for_papers_on_a_topic_asks_for_papers():
    """'Give me papers about …' and 'Are there papers on …' list papers; 'how many papers on …' counts them."""
    for q in ("Give me papers about quantum computing and energy.", "Find papers on KV cache compression.",
              "Are there papers on photonic hardware accelerators for transformer inference?"):
        assert focus(q).multi, q
    assert not focus("How many papers on small models does this survey review?").multi


def test_a_paper_named_as_its_title_names_it():
    """'What problem does Curator solve?' names 'Curator: Efficient Indexing …'; 'Streaming DiLoCo' is not DiLoCo, and a
    plain word opening the question names nothing."""
    assert named_title("What problem does Curator solve?", "Curator: Efficient Indexing for Multi-Tenant Vector Databases")
    assert named_title("Summarize the Pathways paper.", "Pathways: Asynchronous Distributed Dataflow for ML") == "Pathways"
    assert named_title("MoE-Lens vs Duplex?", "MoE-Lens: Towards the Hardware Limit") == "MoE-Lens"
    assert named_title("By how much does Streaming DiLoCo reduce bandwidth?", "DiLoCo: Distributed Low-Communication") is None
    assert named_title("Harmony between teams: is it studied?", "Harmony: Overcoming the Hurdles of GPU Memory") is None
    assert named_title("What is curator bias?", "Curator: Efficient Indexing") is None
    assert named_title("What does Data Filtering do?", "Data Filtering Networks") is None
    assert named_title("What problem does D2O solve?", "D2O: Dynamic Discriminative Operations") == "D2O"  # was skipped
    assert named_title("what's octopus v2", "Octopus v2: On-device language model") == "Octopus v2"  # a name, a version
    assert named_title("What is Octopus v4?", "Octopus v2: On-device language model") is None
    assert named_title("What do physics of language models say?", "Physics of Language Models: Part 3.3") is None
    assert named_title("What does S^{3} predict?", "S^{3}: Increasing GPU Utilization") is None  # not a name we match


def test_papers_named_and_compared_are_each_quoted_where_they_name_themselves(selector, corpus_papers):
    """'How does Splitwise differ from ScaleLLM?': before, refused ("the best paper does not mention ScaleLLM"); now each
    paper is listed with the sentence where it first names itself. One named paper: its sentences are the evidence,
    though another paper's sentence shares more words ('problem', 'solve') with the question."""
    split, scale, curator, forget = (next(p for p in corpus_papers if p.startswith(x)) for x in (
        "splitwise-efficient", "scalellm-a-resource", "curator-efficient", "project-and-forget"))
    sel = selector.select("How does Splitwise differ from ScaleLLM?", sources(corpus_papers, split, forget, scale))
    assert sel.answerable and sel.focus.multi and [e.paper_id for e in sel.evidence] == [split, scale]
    assert sel.evidence[0].sentence.startswith("With Splitwise, we propose")
    assert sel.evidence[1].sentence.startswith("We then propose ScaleLLM")
    dist = next(p for p in corpus_papers if p.startswith("distserve-"))
    sel = selector.select("How does Splitwise differ from DistServe?", sources(corpus_papers, dist, split))
    assert [e.paper_id for e in sel.evidence] == [split, dist]  # in the question's order, not retrieval's
    assert sel.evidence[1].sentence.startswith("DistServe improves the performance")
    sel = selector.select("What problem does Curator solve?", sources(corpus_papers, curator, forget))
    assert sel.answerable and {e.paper_id for e in sel.evidence} == {curator}


def test_a_question_for_the_authors_is_refused(selector, corpus_papers):
    """The listings give titles and abstracts, no people: 'Who wrote …' is refused, not answered with the abstract."""
    dfn = next(p for p in corpus_papers if p.startswith("data-filtering-networks"))
    for question in ("Who are the authors of Data Filtering Networks?", "Which researchers developed data filtering networks?",
                     "Who is the first author of the data filtering networks paper?"):
        sel = selector.select(question, sources(corpus_papers, dfn))
        assert not sel.answerable and "authors' names" in sel.reason, question
    assert selector.select("What do data filtering networks filter?", sources(corpus_papers, dfn)).answerable


def test_a_name_s_digits_are_no_figure_and_a_count_counts_its_head_noun():
    assert not new_number("We train it on A100 GPUs and compare with GPT-4 and T5.")
    assert not measures("GRANITE-20B-FUNCTIONCALLING ranks fourth overall on the leaderboard.", ("score",))
    assert new_number("It compresses up to x1500.") and new_number("It reaches 95% accuracy.")
    assert not counts("We conduct extensive experiments on two GPU clusters.", ("gpus",))  # clusters are counted
    assert counts("We train on 128 A100 GPUs.", ("gpus",)) and counts("It took 3 GPU hours.", ("gpu", "hour"))
    assert counts("We compare against 10 baseline methods.", ("baselin",))  # a generic head: the baselines are counted
    assert counts("gradient ascent for 50 iterations", ("step",))  # steps and iterations alike
    assert not counts("a benchmark having two novel tasks for code constraints", ("instanc",))  # tasks are no instances


def test_a_question_for_a_paper_s_own_limitations():
    from rag.limits import asks_own_limits

    split = "Splitwise: Efficient generative LLM inference using phase splitting"
    for q in ("What are the limitations of Splitwise?", "Does Splitwise have any limitations?", "What are its limitations?",
              "What are Splitwise's main drawbacks?", "Does it have any drawbacks?", "What are the limitations of this approach?"):
        assert asks_own_limits(q, split), q
    assert asks_own_limits("What is the main weakness of Sparse Upcycling?", "Sparse Upcycling: Inference Inefficient Finetuning")
    for q in ("What weakness of early-exiting frameworks does the CBNet paper point out?", "What are the limitations of LLMs?",
              "Which specific LLMs does the primer examine when discussing their limitations?"):
        assert not asks_own_limits(q, split), q


def test_hardware_models_compute_and_savings_in_the_words_abstracts_use(selector, corpus_papers):
    # the gold paper's own sentence gives the asked thing, in a form the gate did not read as it before
    cases = [("How many TPUs does Pathways scale to?", "pathways-asynchronous", "2048 TPUs"),  # no year
             ("What hardware was CO2 tested on?", "co2-efficient", "128 A100 GPUs"),  # hardware with no word "hardware"
             ("What hardware does wa-hls4ml target?", "wa-hls4ml", "Xilinx FPGAs"),
             ("How much compute does λ-ECLIPSE need for training?", "eclipse-multi", "74 GPU hours"),
             ("Which MoE models is PERFT tested on?", "perft-parameter", "OLMoE-1B-7B"),  # a known model, tested on
             ("How many parameters does MoS save compared to standard LoRA?", "mos-unleashing", "8x parameter savings")]
    for q, prefix, said in cases:
        pid = next(p for p in corpus_papers if p.startswith(prefix))
        sel = selector.select(q, sources(corpus_papers, pid))
        assert sel.answerable and any(said in e.sentence for e in sel.evidence), (q, sel.reason)
    bars = next(p for p in corpus_papers if p.startswith("bars-ctr"))  # "12,000 GPU hours" names no GPU
    sel = selector.select("What type of GPU were the BARS-CTR benchmarking experiments run on?", sources(corpus_papers, bars))
    assert not sel.answerable and "does not name" in sel.reason


def test_a_paper_s_limits_follow_where_it_introduces_itself_and_when_it_fails_asks_them(selector, corpus_papers):
    from rag.limits import asks_own_limits
    from rag.quantities import counts, new_number

    assert asks_own_limits("When does ConCerNet fail?", "ConCerNet: A Contrastive Learning Based Framework")
    assert asks_own_limits("Where does MobiLlama fall short?", "MobiLlama: Towards Accurate and Lightweight Fully ...")
    assert not asks_own_limits("When do LLMs fail at planning?", "ConCerNet: A Contrastive Learning Based Framework")
    assert not new_number("papers published in 2023 papers") and not counts("in 2023 papers", ("paper",))
    # "However, … we find that the dataset size is not optimal" comes before "We thus propose … FedDisco": the problem
    # of earlier work it sets out from, no weakness of its own
    for q, prefix in (("What are the weaknesses of FedDisco?", "feddisco"), ("When does ConCerNet fail?", "concernet")):
        pid = next(p for p in corpus_papers if p.startswith(prefix))
        sel = selector.select(q, sources(corpus_papers, pid))
        assert not sel.answerable and "limitations" in sel.reason, q


def test_libraries_vendors_described_papers_limits_asked_loosely_and_examples_after_like(selector, corpus_papers):
    from rag.compare import paper_described
    from rag.scope import none_offered, offered

    def one(prefix: str):
        return sources(corpus_papers, next(p for p in corpus_papers if p.startswith(prefix)))

    # "which libraries" is answered by "six … constrained decoding frameworks, including Guidance, Outlines …"
    q = "JSONSchemaBench compares which constrained decoding libraries?"
    listing = next(x for x in selector.sentence_vectors(one("generating-structured")[0])[0] if "Guidance" in x)
    assert all(test(listing) for test, _ in selector._checks(focus(q), one("generating-structured")[0], q, [listing]))
    sel = selector.select("What client hardware was nn-JIT.web evaluated on?", one("accelerating-in-browser"))
    assert sel.answerable and "from ARM" in sel.answer_sentence, sel.reason  # "CPUs and GPUs from ARM, Intel, AMD …"
    for q, prefix in (("What are the main limitations or failure cases of DivClust?", "divclust"),
                      ("What are the known drawbacks of Accordion's runtime parallelism changes?", "intra-query-runtime")):
        sel = selector.select(q, one(prefix))  # Accordion: the abstract's own name for its work, not its title's
        assert not sel.answerable and "limitations" in sel.reason, q
    assert offered("Would it work with open-source models like Llama?") == ["Llama"]
    assert not offered("Does it work like a charm?")
    assert not none_offered("How much does it reduce data movement for Transformer models like T-NLG?",
                            "for important Transformer models like T-NLG, T3 speeds up")
    clinical = one("clinical-prompt-learning")
    assert paper_described("Was the clinical prompt learning work run on MIMIC-III?", clinical) is clinical[0]
    assert paper_described("What does the prompt learning work find?", clinical) is None  # not the title's first words
    # "two key obstacles to low-bit PTQ" counts obstacles: no bit-width
    assert not measures("we identify two key obstacles to low-bit PTQ for DiTs", ("bit-width", "bit", "width"))
    assert measures("weights are quantized to four bits", ("bit-width", "bit", "width"))


def test_a_yes_no_comparison_needs_a_sentence_that_compares_with_the_named_one(selector, corpus_papers):
    # Octopus v4 names GPT-4 only as expensive; its MMLU sentence compares with "the same level models", not GPT-4
    octopus = next(pid for pid in corpus_papers if pid.startswith("octopus-v4"))
    sel = selector.select("Does Octopus v4 score higher than GPT-4 on MMLU?", sources(corpus_papers, octopus))
    assert not sel.answerable and "compares" in sel.reason
    assert compared_side("Is ReMax faster than PPO?", "PPO is about twice as slow as ReMax") == {"ppo"}
    assert compared_side("Does TinyChart beat GPT-4V?", "It outperforms GPT-4V on ChartQA") == {"gpt-4v", "gpt"}


def test_better_as_an_adverb_or_our_best_knowledge_ranks_nothing():
    assert not ranks("we hope that DeltaBench could guide developers to better understand long CoT reasoning")
    assert not ranks("To our best knowledge, this is the first work that unifies different model shapes")
    assert ranks("MCTS performs better than random search") and ranks("Flan-T5 yields the best performance")


def test_tex_accents_lowercase_known_names_title_acronyms_which_is_faster_and_metric_acronyms(selector):
    from rag.limits import asks_own_limits

    q = "how close do the Tulu instruction-tuned models get to chatgpt and gpt-4?"
    assert not selector.missing_names(q, 'a fully finetuned 65B T\\"ulu reaches 83% of ChatGPT and 68% of GPT-4')
    lower = selector.missing_names("was Tele-FLM-1T trained on nvidia gpus?", "Tele-FLM-1T, trained on 112 A800 GPUs")
    assert lower == {"nvidia"}
    assert asks_own_limits("what are the known weaknesses of PPP clustering?", "Probabilistic Partitive Partitioning (PPP)")
    assert not asks_own_limits("What's the downside of the LSTM baseline?", "The Languini Kitchen: …", "an LSTM … the LSTM")
    assert asks_winner("so which is faster overall, parquet or orc?") and not asks_winner("Which technique makes it faster?")
    assert focus("what SDR did their stem-wise ensemble get in the challenge?").measure == ("sdr",)


def test_released_or_not_training_data_described_baselines_plural_names_and_chatgpt(selector, corpus_papers):
    from rag.availability import asks_released, says_released
    from rag.compare import described_baseline

    def one(prefix: str):
        return sources(corpus_papers, next(p for p in corpus_papers if p.startswith(prefix)))

    # "Is ScaleLLM open source?": its abstract gives a speed-up, no release; the program-synthesis abstract evaluates
    # models and fine-tunes them on its benchmarks, but never says what they were pre-trained on
    for q, prefix, why in (("Is ScaleLLM open source?", "scalellm", "released"),
                           ("What data were the 244M to 137B models in the MBPP paper pretrained on?", "program-synthesis",
                            "trained on")):
        sel = selector.select(q, one(prefix))
        assert not sel.answerable and why in sel.reason, (q, sel.reason)
    assert asks_released("did they release their data?") and not asks_released("How many open-source LLMs were tested?")
    assert says_released("The model checkpoint of LongCat-Flash is open-sourced.")
    assert says_released("All data and code are available on our project page.")
    assert not says_released("We evaluate open-source models on public benchmarks.")
    # "one another" is no figure for "how much did it improve"
    assert not new_number("components evaluated in relation to one another") and new_number("one of two runs")
    # a baseline described in words answers "what baseline was it compared against"; a stand-in does not
    q = "what baseline was it compared against?"
    assert described_baseline("we compare our framework with one-step model generation methods offered by LLMs", q)
    assert not described_baseline("we compare our framework with existing methods", q)
    # "pre-trained ViTs" of a paper titled "… Continual ViTransformer"; GPT-4 as the example of "ChatGPT-4"
    assert not selector.missing_names("does it work with pre-trained ViTs?", "Incremental Adapter-Tuning is A Continual "
                                      "ViTransformer")
    assert not none_offered("why not just use closed models like GPT-4?", "equal performance to models such as ChatGPT-4")
    assert none_offered("Does it beat models like GPT-4?", "we compare with GPT-4o and Llama")


def test_options_offered_how_they_decide_raised_measures_winning_models_and_limits_admitted(selector, corpus_papers):
    from rag.limits import asks_own_limits, own_limits
    from rag.options import alternatives, none_chosen
    from rag.scope import other_setting

    def one(prefix: str):
        return sources(corpus_papers, next(p for p in corpus_papers if p.startswith(prefix)))

    q = "What search strategy did BARS-CTR use to tune the 24 models: grid search, random, or Bayesian optimization?"
    assert alternatives(q) == ["grid search", "random", "Bayesian optimization"]
    assert alternatives("does the wearables generator produce step counts, heart rate, or both?") == ["step counts", "heart rate"]
    assert not alternatives("Is there a survey, aimed at newcomers, of methods with less data, time, storage or energy instead "
                            "of just scaling up?")  # a list inside the question, no choice
    assert none_chosen("does it produce step counts, heart rate, or both?", "realistic wearable activity data")
    assert not none_chosen("does it produce step counts, heart rate, or both?", "it generates heart rate traces")
    # "how do they decide how many tokens" asks how, not how many; "how much does X raise the success rate" measures it
    assert not focus("In Languini, how do they decide how many tokens a model gets to train on?").count
    raised = focus("How much does ResponsibleTA raise the task success rate in UI automation?")
    assert raised.measure == ("task", "success", "rate")
    assert focus("What's the largest MoE, in total parameters, trained in the study?").measure == ("paramet",)
    # "which of the ten LLMs had the best tradeoff": "the superior runtime of certain APIs" names no model
    sel = selector.select("Which of the ten LLMs had the best efficiency-versus-capability tradeoff under the idealized "
                          "runtime metric?", one("cheaply-evaluating"))
    assert not sel.answerable and "ranks none by name" in sel.reason
    assert not ranks("Better understanding this tradeoff could benefit from an inference efficiency metric")
    # limits the authors admit are their own; "the paper delves into potential applications and limitations" states none
    assert asks_own_limits("what limitations do the authors admit for the self-healing sharding approach?", "Self-healing …")
    assert not asks_own_limits("what limitation do the authors note about how improvements had been evaluated?", "On the …")
    assert not own_limits(["This paper proposes an approach.", "Additionally, the paper delves into potential applications "
                           "and limitations, providing insights into future research directions."])
    # "Continual Inference Networks" names the method; "pre-trained weights" is then no other setting than inference
    q = "By how much do Continual Inference Networks improve efficiency?"
    assert other_setting(q, "reuse their pre-trained weights") is None
    assert other_setting("How fast is inference?", "reuse their pre-trained weights") == "train"
    sphyr = one("sphyr")  # "3D or only 2D": dimensions offered, not figures the paper must state
    assert "does not mention" not in selector.select("does SPhyR include 3D structures, or is it only 2D?", sphyr).reason
    # "What's the latency": what is asked; "Did they run a user study?" of a paper naming none; RAG is not in "storage"
    sel = selector.select("What's the latency of MIST for fetching a downsampled study?", one("one-copy-is-all"))
    assert not sel.answerable and "latenc" in sel.reason, sel.reason
    from rag.scope import unrun_study
    asked = "Did the authors run a user study to evaluate their tool?"
    assert unrun_study(asked, "a discussion on user preferences") == "user study"
    assert unrun_study("Did the authors run a user study to evaluate their tool?", "a user study with 12 people") is None
    assert unmentioned("Does it beat a RAG pipeline?", "we cut storage costs") == {"RAG"}
    assert not unmentioned("Does it beat a RAG pipeline?", "unlike RAG-based systems")
