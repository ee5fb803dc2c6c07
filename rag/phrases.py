"""Reading a question's noun phrases: where one ends (a function word, a verb, a past form) and which word heads it
("how many GPU hours per run" counts hours)."""

from __future__ import annotations

from .terms import terms

SLOT_STOP = frozenset("did does do is are was were can could would will has have had in on of for to that the a an by with "
                      "it its they their when while and or per each every than as".split())
DETERMINERS = frozenset("the a an its their each every".split())
VERBS = frozenset("took take takes went go goes made make makes ran run runs got get gets came come gave give gives saw see "
                  "found find finds need needs contain contains include includes cover covers span spans remain remains "
                  "appear appears exist exists turn turns serve serves act acts play plays pass passes elapse elapses occur "
                  "occurs".split())
PARTICIPLES = frozenset("built made done taken given run grown known shown seen written drawn chosen held kept".split())
CLASS_STEMS = frozenset({"categori", "type", "kind", "class", "group"})  # nouns that count their modifier ("ability categories")


def participle(word: str) -> bool:
    """A past participle that starts a relative clause ("the datastore built to …", "the pool filtered by …")."""
    return word.lower() in PARTICIPLES or ed_form(word)


def ed_form(word: str) -> bool:
    """A word that looks like a past form ("trained", "narrowed"): it ends a noun phrase. A hyphenated one is an adjective
    ("human-curated instructions")."""
    return (word.lower().endswith("ed") and len(word) > 4 or word.lower() == "used") and "-" not in word  # "GPUs used in …"


def verb_inside(phrase: str) -> bool:
    """A verb among the words between "what/which" and the quantity word ("which technique narrowed the gap")."""
    return any(w in VERBS or ed_form(w) for w in phrase.lower().split()[1:-1])


def plural_noun(rest: str) -> tuple[str, ...]:
    """The stem of the first plural noun that ends a phrase within six words ("… activated parameters does"), else ()."""
    words = rest.split()[:6]
    for w, nxt in zip(words, words[1:] + ["?"]):
        w = w.strip(",?").lower()
        if len(w) > 3 and w.endswith("s") and w not in SLOT_STOP and w not in VERBS and (
                nxt.lower() in SLOT_STOP or nxt.lower() in VERBS or nxt[0] in ",?"):
            return tuple(terms(w))[-1:]
    return ()


def head_noun(phrase: str) -> tuple[str, ...]:
    """The stem of a phrase's head noun: its last word before a function word ("GPU hours per run" -> hour)."""
    words = []
    seq = phrase.lower().split()
    for i, w in enumerate(seq):
        if (words and words[-1].endswith("s") and not w.endswith("s") and i + 1 < len(seq)
                and (seq[i + 1] in DETERMINERS or not terms(seq[i + 1]))):
            break  # "weather stations supply the data", "techniques fall under": a plural noun's verb
        if w in SLOT_STOP or w in VERBS or (ed_form(w) and words) or not terms(w):  # "routed experts": first, a past form
            break  # is an adjective; a function word ends the phrase ("lessons from data …")
        words.append(w)
    head = tuple(terms(words[-1]))[-1:] if words else ()
    if head and head[0] in CLASS_STEMS and len(words) > 1:  # "ability categories": abilities are what is counted too
        return tuple(terms(words[-2]))[-1:] + head
    return head
