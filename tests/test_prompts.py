"""Prompt files: present, placeholders checked, refusal shared."""

from __future__ import annotations

import pytest

from rag import prompts
from rag.errors import PromptError


def test_all_prompts_load_with_their_placeholders():
    prompts.check_all()
    msgs = prompts.answer_messages("What is X?", "[1] T\nabstract")
    assert msgs[0]["role"] == "system" and prompts.refusal() in msgs[0]["content"]
    assert msgs[-1]["content"].endswith("Question: What is X?") and "[1] T" in msgs[-1]["content"]


def test_fixed_prefix_is_identical_across_questions():
    a = prompts.answer_messages("q1", "s1")
    b = prompts.answer_messages("q2", "s2")
    assert a[:-1] == b[:-1]  # the cached prefix (rules + example) never changes


@pytest.mark.parametrize(
    "name, text, fragment",
    [
        ("answer_user", "Evidence: {evidence}", "question"),
        ("answer_user", "{evidence} {question} {extra}", "extra"),
        ("source", "[{n}] {title", "broken"),
    ],
)
def test_placeholder_errors_name_the_file(tmp_path, name, text, fragment):
    (tmp_path / f"{name}.txt").write_text(text)
    with pytest.raises(PromptError, match=fragment):
        prompts.load(name, tmp_path)


def test_missing_prompt_file(tmp_path):
    with pytest.raises(PromptError, match="missing"):
        prompts.load("answer_system", tmp_path)
