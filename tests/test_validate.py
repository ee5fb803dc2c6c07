"""Input checks for every page and API value (pure logic, fast)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from rag import validate
from rag.errors import InputError


def req(**kw):
    base = {"question_": "What is it?", "limit": 2000, "max_k": 10}
    return validate.request(**{**base, **kw})


@pytest.mark.parametrize("kw, fragment", [
    ({"k_": -5}, "k must be"), ({"k_": 1_000_000}, "k must be"), ({"k_": "3"}, "k must be"), ({"k_": 2.5}, "k must be"),
    ({"k_": True}, "k must be"), ({"history_": "hi"}, "history must be a list"), ({"history_": [1]}, "history[0]"),
    ({"history_": [{"role": "system", "content": "x"}]}, "role"), ({"history_": [{"role": "user", "content": 5}]}, "content"),
    ({"date_from": "2024-13-45"}, "real date"), ({"date_to": "2024-02-30"}, "real date"), ({"date_from": "last year"}, "real date"),
    ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "date range is empty"), ({"temperature_": 7}, "temperature"),
    ({"question_": None}, "question must be text"), ({"question_": " \u202e\u200b "}, "Please type a question"),
    ({"question_": "x" * 2001}, "limit is 2,000"),
    ({"history_": [{"role": "assistant", "content": "a", "paper_ids": "p"}]}, "paper_ids"),
])
def test_bad_values_are_named(kw, fragment):
    with pytest.raises(InputError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        req(**kw)


def test_good_values_pass_cleaned():
    r = req(question_="  caf\u00e9\u202e\x00 flow?\n", k_=3.0, history_=None, date_from=" 2024-02-29 ", temperature_=0)
    assert (r.question, r.k, r.history, r.date_from, r.temperature) == ("café flow?", 3, [], "2024-02-29", 0.0)
    assert req(k_=0).k is None and req(k_=None).k is None
    turn = {"role": "assistant", "content": "A [1].", "paper_ids": ["p1"]}
    assert req(history_=[turn]).history == [turn]


@hsettings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12),
       st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5)))
def test_any_json_is_accepted_cleanly_or_named(history, k):
    try:
        r = req(history_=history, k_=k)
    except InputError as exc:
        assert str(exc)[0].isalpha() and str(exc).endswith(".")
    else:
        assert r.k is None or 1 <= r.k <= 10
        assert all(t["role"] in ("user", "assistant") for t in r.history)
