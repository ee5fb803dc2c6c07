"""The answerability gate: whether the selected evidence gives what the question asks for.

rag/focus.py reads what the question asks (a quantity, a count, a measure, a name of a kind), rag/slots.py tests what
fills it (a new number, a name beside its kind's word), rag/scope.py whether it is for the asked thing (the asked
setting, not an excluded or other compared one). The gate refuses when the best paper does not mention the question's
names or numbers, or when no sentence of it passes every check; otherwise it returns the sentence that gives the
asked number or name. A which-papers question is refused when its best evidence is weak for it or no listed paper
uses its names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

from .acronyms import abbreviations, asked_expansion, generic_abbreviations, written_out
from .availability import asks_released, says_released
from .compare import (asks_baseline, asks_winner, baseline_names, compared_side, compares, described_baseline, none_compared,
                      other_than, ranks, uncompared, winner_options)
from .focus import Focus
from .limits import asks_own_limits, own_limits
from .options import none_chosen
from .quantities import (MULTIPLE_RE, asks_ratio, counted_not_listed, counts, measures, new_number, none_of, numbers,
                         ratio_form, stated_numbers)
from .scope import (asks_complexity, besides, excluded, gives_complexity, listed_alone, lists_beside, named_besides_best,
                    none_offered, other_count, other_setting, sibling_named, unrun_study, unspoken_thing)
from .slots import (DATA_KINDS, HARDWARE_KINDS, MODEL_KINDS, SOFTWARE_KINDS, adjectival, capitalised, mentions, model_names,
                    name_like, named_title, names, new_hardware, new_names, own_name, said_names, specific_names,
                    stated_results, unmentioned)
from .terms import STOP, terms

if TYPE_CHECKING:
    from .config import EvidenceSettings
    from .evidence import Scored
    from .terms import Vocabulary
    from .types import Source

RARE_DF = 10  # a capitalised word in at most this many chunks is a name the best paper must use (Tilus, Holmes)
NAME_WINDOW = 4  # an asked name stands within four words of its kind's word ("the A100 GPU", "GPUs such as the H100")
EVALUATED_ON_RE = re.compile(r"\b(?:evaluat|test|train|experiment|validat|benchmark)\w*\s+(?:[\w-]+\s+){0,3}?on\b", re.I)
CLAUSE_END_RE = re.compile(r"\b(?:demonstrat|show|indicat|reveal|confirm|suggest|verif|prov|highlight|that|which|where)\w*",
                           re.I)  # "Experiments on eight datasets demonstrate … LightHGNNs …": the datasets' phrase ends
GROWTH_ASK_RE = re.compile(r"\bas (?:the |its |their )?(?:[\w-]+ ){0,2}(?:grows?|increases?|scales?)\b", re.I)
BY_HOW_MUCH_RE = re.compile(r"\bhow much\b[^?]*?\b(?:reduc|cut|lower|decreas|improv|increas|rais|boost|shrink|sav)\w*|"
                            r"\bby (?:what factor|how much)\b", re.I)  # "how much does X reduce", and "how much X reduces"
# as a follow-up's condensed question words it
TESTED_ASK_RE = re.compile(r"\b(?:test|evaluat|appl|validat|benchmark|experiment|run|adapt|assess)\w*\s+"
                           r"(?:\w+\s+){0,2}?(?:on|to|with|using)\b", re.I)  # the models a method is tested on or applied to
SAVED_ASK_RE = re.compile(r"\bhow many\b[^?]*?\b(?:sav|reduc|cut|eliminat|prun|fewer)\w*", re.I)  # "How many parameters
# does MoS save?": "approximately 8x parameter savings" answers
ROLE_ASK_RE = re.compile(r"\b(?:backbones?|base (?:(?:language|vision|pre-?trained) )?(?:models?|llms?|famil(?:y|ies)|"
                         r"checkpoints?)|fine-?tuned from|built (?:on|upon)|on top of|initiali[sz]ed from|initiated from|"
                         r"distill?ed from|teachers?)\b", re.I)  # a model asked in a role: the base it was fine-tuned
# from, a backbone, a teacher
ROLE_RE = re.compile(r"\b(?:backbones?|base(?:d on)?|built (?:on|upon)|on top of|fine-?tun\w+|initiali[sz]\w+|initiat\w+|"
                     r"distil\w+|teachers?|students?|derived from|extend\w*|adapt\w* from|start\w* from|pre-?trained)\b", re.I)
CAPITALISED_RUN_RE = re.compile(r"(?<![\w-])((?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+){1,4}[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?![\w-])")
YEAR_ASK_RE = re.compile(r"\b(?:what|which) (?:(?!(?:every|per|each|over|in|for|last|two|three|several|few|many)\b)[\w-]+ ){0,3}?"
                         r"(?:years?|time (?:period|span|frame|range|window)|period of time|"
                         r"dates?)\b|\bin what year\b|\bsince when\b|\bwhen (?:was|were|did|is|are) .{0,80}?\b(?:publish|releas|"
                         r"propos|introduc|written|wrote|appear|came out|come out|announc)\w*", re.I)  # "which range of publication
# years", "When was Splitwise published?": a year answers
YEAR_GIVEN_RE = re.compile(r"\b(?:1[89]\d|20[0-3])\d(?:s|s?\b)|\b(?:decades?|centur(?:y|ies))\b", re.I)  # not "2048 TPUs"
TRAIN_DATA_ASK_RE = re.compile(r"\b(?:what|which)\s+(?:kinds? of |sort of |type of )?(?:\w+\s+)?(?:data|text|tokens)\b[^?]*"
                               r"\b(?:pre-?)?train(?:ed)?\b", re.I)  # "What data were the models pretrained on?"
TRAINED_ON_RE = re.compile(r"\b(?:pre-?)?train(?:ed|ing|s)?\b[^.;]{0,40}?\b(?:on|from|with|using)\b", re.I)  # "trained from
# offline data": what a model learns from (fine-tuning on a benchmark's split is not what it was trained on)
AMONG_MODELS_RE = re.compile(r"\bwhich (?:of the )?(?:[\w-]+ )?(?:LLMs|models|language models|chatbots)\b", re.I)
AUTHORS_ASK_RE = re.compile(  # the listings give titles and abstracts, no people
    r"\bwho (?:are|were|is|was) (?:the |its |their )?(?:(?:first|last|lead|main|senior|corresponding) )?(?:authors?|researchers|"
    r"writers?|creators?|developers?|inventors?)\b|\bwho (?:wrote|authored|co-?authored|developed|created|proposed|invented|"
    r"built|designed|is behind|are behind)\b|\b(?:names? of (?:the |its |their )?|which |list (?:the |its |their )?)(?:authors?|"
    r"researchers|scientists|people|team|group|lab|institutions?|universit(?:y|ies))\b(?! (?:of|in|on|for|at|with|that|which)\b)|"
    r"\b(?:first|last|lead|senior|corresponding) author\b|\bauthor(?:s'|'s)? names?\b|\bwhose (?:work|paper|research)\b", re.I)
AUTHORS_REASON = "the corpus gives titles and abstracts, not authors' names"
RECENCY_ASK_RE = re.compile(r"\b(?:newest|latest|most recent|most recently published|oldest|earliest|first published)\s+"
                            r"(?:papers?|stud(?:y|ies)|articles?|publications?)\b", re.I)  # not "the latest research on"
RECENCY_REASON = ("the listings date few papers, so the corpus cannot say which is newest or oldest; the date range in "
                  "Settings narrows a search to the dated ones")


def corpus_cannot(question: str) -> str | None:
    """Why the listings cannot answer a question of this kind, whatever is retrieved (its authors, the newest paper)."""
    if AUTHORS_ASK_RE.search(question):
        return AUTHORS_REASON
    return RECENCY_REASON if RECENCY_ASK_RE.search(question) else None


TEX_ACCENT_RE = re.compile(r"\\[\"'`^~]\{?([A-Za-z])\}?")  # TeX residue of an accent in an abstract
SMALLTALK_RE = re.compile(r"^\W*(?:(?:hi|hello|hey|hiya|thanks?|thank you|thx|ty|much|so|very|ok(?:ay)?|cool|great|nice|"
                          r"bye|goodbye|good (?:morning|afternoon|evening|night)|cheers|you)\W*){1,4}$", re.I)  # "thanks!"
SMALLTALK_REASON = "not a question about the papers: ask what a paper does or finds, or which papers study a topic"
ORDER_RE = re.compile(r"\b(?:constant|linear(?:ly)?|quadratic(?:ally)?|logarithmic(?:ally)?|exponential(?:ly)?|sub-?linear|"
                      r"super-?linear)\b", re.I)  # how a cost grows: an answer in words to "… as n grows?"


class Gate:
    """The gate's checks, mixed into EvidenceSelector (which gives settings, sentence_vectors and vocab)."""

    settings: EvidenceSettings
    sentence_vectors: Callable[[Source], tuple[list[str], list[list[float]]]]
    vocab: Vocabulary

    def gate(self, f: Focus, chosen: Sequence[Scored], question: str = "",
             allowed: set[str] | None = None, strength: float | None = None) -> tuple[bool, str, str]:
        """(answerable, why not, the best paper's sentence, among `allowed` ones, that gives the asked number or name).
        `strength`: the best evidence's score on min_score's scale (default: the best chosen one's score)."""
        best = chosen[0]
        if (best.score if strength is None else strength) < self.settings.min_score:
            return False, "the evidence is too weak", ""
        if why := corpus_cannot(question):  # the seeds give an author count at most, and few dates
            return False, why, ""
        if f.multi:  # "which papers …": every selected paper is an answer, when one speaks to the whole question
            return self.papers_gate(question, chosen, f.compared)
        own = f"{best.source.title} {best.source.abstract}"
        if missing := self.missing_names(question, own):
            return False, f"the best paper does not mention {', '.join(sorted(missing))}", ""
        absent = numbers(re.sub(r"\b[1-4]-?D\b", " ", question)) - numbers(own)  # "3D or only 2D?": dimensions, offered
        if absent:
            return False, f"the best paper does not mention {', '.join(sorted(absent))}", ""
        if (self.settings.refuse_unspoken and not f.quantity and not f.name
                and (thing := unspoken_thing(question, own))):  # "which criterion …" of a paper without one
            return False, f"the best paper speaks of no {thing}", ""
        if study := unrun_study(question, own):  # "Did they run a user study …?" of a paper that names none
            return False, f"the best paper reports no {study}", ""
        if gone := none_compared(question, own) or uncompared(question, own):  # "physics versus biology", "compared with DPO"
            return False, f"the best paper mentions none of the compared {', '.join(gone)}", ""
        if given := none_offered(question, own):  # "such as Intel SGX or AMD SEV" of an abstract naming no TEE
            return False, f"the best paper mentions none of the question's examples ({', '.join(given)})", ""
        if options := none_chosen(question, own):  # "…: grid search, random, or Bayesian optimization?" of a paper naming none
            return False, f"the best paper mentions none of the offered options ({', '.join(options)})", ""
        if ex := excluded(question, best.sentence):
            return False, f"the evidence speaks of {ex}, which the question excludes", ""
        mine, _ = self.sentence_vectors(best.source)  # the asked slot may be filled anywhere in the best paper's abstract
        mine = [x for x in mine if allowed is None or x in allowed]
        if not f.quantity and (thing := counted_not_listed(question, mine)):  # "experiments on eight datasets"
            return False, f"the evidence speaks of the {thing} but names none", ""
        order = sorted(mine, key=lambda x: x not in {c.sentence for c in chosen})  # prefer a sentence already chosen
        stated = stated_results(question) & numbers(own) if f.name else set()  # "the framework that reached 93.9%"
        if stated:  # the asked name stands beside the result the question states
            order.sort(key=lambda x: not stated & numbers(x))
        checks = self._checks(f, best.source, question, order)
        answer = ""
        for test, why in checks:
            hits = [x for x in order if test(x)]
            other = {x: other_setting(question, x) for x in hits}
            fit = [x for x in hits if other[x] is None]
            if hits and not fit:
                return False, f"the evidence reports it for {other[hits[0]]}, not the asked setting", ""
            hits = fit
            if not hits:
                return False, why, ""
            answer = hits[0] if not answer or answer not in hits else answer
        if answer and f.quantity and (than := other_than(question, answer)):  # "lower than the human performance"
            return False, f"the evidence compares with {than}, not with what the question compares", ""
        if answer and f.quantity and (count := other_count(question, answer)):  # "five samples" asked, "250 samples" given
            return False, f"the evidence gives its figure for {count}, not the asked setting", ""
        if answer and f.quantity and (alone := listed_alone(question, best.source.abstract, answer)):
            return False, f"the evidence lists {alone} among others and gives its figure for none alone", ""
        if answer and f.quantity and (sib := sibling_named(question, best.source.title, best.source.abstract, answer)):
            return False, f"the evidence gives its figure for {sib}", ""  # "… 77.0% on LiveCodeBench" for HumanEval+
        if answer and f.quantity and (lost := named_besides_best(question, best.source.title, answer)):
            return False, f"the evidence gives the best one's figure, not {', '.join(lost)}'s", ""
        if answer and stated and not stated & numbers(answer):
            return False, f"the evidence names a {' '.join(f.name)}, but not beside {', '.join(sorted(stated))}", ""
        return True, "", answer

    def _checks(self, f: Focus, source: Source, question: str, order: Sequence[str],
                window: int = 4) -> list[tuple[Callable[[str], bool], str]]:
        """(test, why it fails) for each thing the question asks for: a sentence passing a test gives that thing."""
        checks: list[tuple[Callable[[str], bool], str]] = []
        generic = generic_abbreviations(source.abstract)  # "federated learning (FL)": FL names no baseline, model or dataset
        given = frozenset(stated_numbers(question))  # a number the question states is not its answer
        # (a name's digits are no number it states: "How many parameters does Octopus v2 have?" is answered by 2 billion)
        ratio = f.quantity and asks_ratio(question)  # "by what factor": a ratio answers, a count does not
        growth = bool(GROWTH_ASK_RE.search(question))  # "… as set size grows": "a constant memory overhead" answers
        by_how_much = bool(BY_HOW_MUCH_RE.search(question))  # "how much does it reduce the error rate": "halves it" answers

        def in_words(x: str, what: Sequence[str] = ()) -> bool:
            return ((growth and bool(ORDER_RE.search(x)) or by_how_much and bool(MULTIPLE_RE.search(x)))
                    and (not what or mentions(x, what)))

        if not f.quantity and asks_winner(question):  # "which of them performed best": a sentence that ranks them
            if len(offered := winner_options(question)) > 1:  # "which of GPT-3.5, GPT-4 and Llama3 … best": one of them
                checks.append((lambda x: ranks(x) and any(o in x.lower() for o in offered),
                               "asked which of the offered ones ranks first; the evidence ranks none of them"))
            elif AMONG_MODELS_RE.search(question):  # "which of the ten LLMs had the best tradeoff": a model wins
                checks.append((lambda x: ranks(x) and bool(model_names(x, set()) or specific_names(x)),  # not "certain APIs"
                               "asked which model ranks first; the evidence ranks none by name"))
            else:
                checks.append((ranks, "asked which one ranks first; the evidence ranks none"))
        if not f.quantity and asks_baseline(question):  # "which system does it outperform": a baseline's name
            checks.append((lambda x: bool(baseline_names(x, question, source.title) - generic),
                           "asked for a baseline the evidence does not name"))
        if not f.quantity and (aside := besides(question)):  # "Besides JSON and YAML, which …": something else
            checks.append((lambda x: lists_beside(x, aside), f"asked for others besides {' and '.join(aside)}; "
                           "the evidence lists none"))
        if acronym := asked_expansion(question):  # "What does MGARD stand for?": the sentence that writes it out
            checks.append((lambda x: written_out(acronym, x) is not None, f"asked what {acronym} stands for; the "
                           "evidence does not write it out"))
        if asks_released(question):  # "Is ScaleLLM open source?": a link, or the paper saying it releases it
            checks.append((says_released, "asked whether it is released; the evidence does not say"))
        if TRAIN_DATA_ASK_RE.search(question):
            checks.append((lambda x: bool(TRAINED_ON_RE.search(x)), "asked what it was trained on; the evidence does not say"))
        if YEAR_ASK_RE.search(question):  # "what time period does the survey cover": a year (or a decade) answers
            checks.append((lambda x: bool(YEAR_GIVEN_RE.search(x)), "asked for a year or a period; the evidence gives none"))
        if asks_complexity(question):  # "what is the time complexity of …": an O(·) or a named growth
            checks.append((gives_complexity, "asked for a complexity; the evidence states none"))
        if not f.value and (side := compared_side(question, source.abstract)) is not None:  # "how does A compare with B"
            checks.append((lambda x: compares(x, side), "asked how it compares; no sentence of the evidence compares them"))
        if asks_own_limits(question, source.title, source.abstract):  # the paper's own limits: not its results
            limits = set(self.own_limits(question, source))
            checks.append((lambda x: x in limits, "asked for its limitations; the abstract states none of its own"))
        if f.quantity:
            checks.append((lambda x: new_number(x, given) and (not ratio or ratio_form(x)) or in_words(x)
                           or bool(f.count) and none_of(x, f.count),
                           f"no ratio or share in the evidence measures {' '.join(f.measure) or 'it'}" if ratio
                           else "asked for a number the evidence lacks"))
        saved = bool(SAVED_ASK_RE.search(question))
        if f.count:
            checks.append((lambda x: counts(x, f.count, given, window) or none_of(x, f.count)
                           or saved and ratio_form(x) and measures(x, f.count, given=given),
                           f"no number in the evidence counts {' '.join(f.count)}"))
        if f.measure:
            checks.append((lambda x: (measures(x, f.measure, given=given) and (not ratio or ratio_form(x))
                                      and (f.whose is None or mentions(x, (f.whose,)))  # "what window size": the window's
                                      or in_words(x, f.measure)), f"no number in the evidence measures {' '.join(f.measure)}"))
        if f.name:
            title = source.title
            # HPO in "hyperparameter optimization (HPO)" is no new name when the question says hyperparameter optimization
            known = said_names(question, title) | abbreviations(source.abstract, question) | generic
            # "RouterBench: A Benchmark …" answers "which benchmark …"
            own = own_name(title, f.name) - name_like(question) - names(question)
            said = frozenset(re.findall(r"[a-z0-9]+", question.lower())) - STOP  # words between a name and its kind
            outdone = MODEL_KINDS & set(f.name) and asks_baseline(question)  # a compared model: named anywhere in a sentence
            tested = (MODEL_KINDS & set(f.name) and TESTED_ASK_RE.search(question)  # "Which MoE models is PERFT tested on?"
                      and not ROLE_ASK_RE.search(question))
            hardware = HARDWARE_KINDS & set(f.name)  # "What hardware was CO2 tested on?": "up to 128 A100 GPUs"
            described = "baselin" in f.name  # "what baseline was it compared against": "… with one-step generation methods"
            kinds = tuple(dict.fromkeys(f.name + tuple(sorted(SOFTWARE_KINDS)))) if SOFTWARE_KINDS & set(f.name) else f.name

            def named(x: str) -> bool:
                evaluated = DATA_KINDS & set(f.name) and EVALUATED_ON_RE.search(x)  # "evaluated on CIFAR-10 and ImageNet"
                return (bool(own & (name_like(x) | names(x))) or bool(new_names(x, kinds, known, NAME_WINDOW, said))
                        or bool(evaluated and new_names(CLAUSE_END_RE.split(x[evaluated.end():], 1)[0], f.name, known))
                        or bool((outdone or tested) and model_names(x, known))  # "which model does it outperform": GPT-3
                        or bool(hardware and new_hardware(x, known)) or described and described_baseline(x, question))

            if own and not any(named(x) for x in order):
                named = bool  # the title names the paper's own artifact of the asked kind; any sentence goes with it
            if role := ROLE_ASK_RE.search(question):  # "which base model was it fine-tuned from": a name in that role
                checks.append((lambda x: named(x) and bool(ROLE_RE.search(x)),
                               f"asked for the {role.group().lower()}; the evidence names none in that role"))
            else:
                checks.append((named, f"asked for a {' '.join(f.name)} the evidence does not name"))
        return checks

    def own_limits(self, question: str, source: Source) -> list[str]:
        """The sentences where the paper states a limit of its own work (rag/limits.py)."""
        return own_limits(self.sentence_vectors(source)[0], named_title(question, source.title) or "")

    def papers_gate(self, question: str, chosen: Sequence[Scored], compared: bool = False) -> tuple[bool, str, str]:
        """A which-papers question is answered when its best evidence is strong enough on the selector's own scale
        (a topic the corpus covers in part: "reinforcement learning for chip placement" of RL papers) and some listed
        paper uses the question's names ("for African languages such as Swahili or Yoruba"); papers the question
        compares by name are each an answer."""
        if compared:
            return True, "", ""
        if chosen[0].score < self.settings.multi_min_evidence:
            return False, "no paper's evidence speaks to the whole question", ""
        owns = {c.source.paper_id: f"{c.source.title} {c.source.abstract}" for c in chosen}
        missing = [self.missing_names(question, own) for own in owns.values()]
        if all(missing):
            return False, f"no paper found mentions {', '.join(sorted(set.intersection(*missing) or missing[0]))}", ""
        return True, "", ""

    def missing_names(self, question: str, own: str) -> set[str]:
        """The question's names (HumanEval+, PPP, Tilus; nvidia, gpt-4 in any case) that a paper's text never uses."""
        own = TEX_ACCENT_RE.sub(r"\1", own)  # "T\\"ulu" is Tulu
        return unmentioned(question, own) | self.unnamed(question, own)

    def unnamed(self, question: str, own: str) -> set[str]:
        """Rare capitalised words of the question (names: Tilus, Holmes) that the text does not use, not even as a word
        or in a form with the same capitalised start (Swiss / Switzerland); and capitalised runs (the Generalized Edge
        Model) that it neither says nor abbreviates (GEM)."""
        rare = {w for w in capitalised(question) if (t := terms(w)) and self.vocab.df.get(t[0], 0) <= RARE_DF
                and not re.search(r"\b" + w.lower(), own.lower()) and not re.search(r"\b" + w[:3], own)}
        return rare | unsaid_runs(question, own)


def unsaid_runs(question: str, own: str) -> set[str]:
    """Runs of capitalised words inside the question (the Generalized Edge Model; not "Southeast Asian", as for
    capitalised()) that the text neither says, hyphenated or not, nor abbreviates (GEM)."""
    flat, words = re.sub(r"[\s-]+", " ", own.lower()), set(re.findall(r"[a-z0-9]+", own.lower()))
    out = set()
    for m in CAPITALISED_RUN_RE.finditer(question.split(None, 1)[-1]):
        run = re.sub(r"-[a-z]+$", "", m.group(1))  # "Materials Project-grounded": the name is Materials Project
        parts = re.split(r"[\s-]+", run)
        if any(adjectival(w) for w in parts):
            continue
        if " ".join(parts).lower() not in flat and "".join(w[0] for w in parts).lower() not in words:
            out.add(run)
    return out
