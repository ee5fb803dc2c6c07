"""Chat handlers without a browser: limits, errors as messages, escaping, exports, filters."""

from __future__ import annotations

import pytest

from rag.answer import Pipeline
from rag.chat import ChatService, Session, make_filters
from rag.errors import BackendUnavailable
from rag.render import answer_markdown, escape_md, export_bibtex, export_markdown, sources_html
from rag.retrieve import HybridRetriever
from tests.scripted import ScriptedLLM

QUESTION = "How much does selective activation recomputation reduce activation memory?"
REPLY = "Selective activation recomputation reduces activation memory by 5x [1]."


class FlakyLLM(ScriptedLLM):
    """Down for the first call, then answers."""

    def stream(self, messages, *, temperature, max_tokens):
        if not self.calls:
            self.calls.append(messages)
            raise BackendUnavailable("Ollama is not reachable at http://127.0.0.1:1: start it with `ollama serve`")
        yield from super().stream(messages, temperature=temperature, max_tokens=max_tokens)


@pytest.fixture(scope="module")
def retriever(corpus_settings, real_embedder):
    return HybridRetriever(corpus_settings, embedder=real_embedder)


def service(corpus_settings, retriever, llm):
    return ChatService(corpus_settings, Pipeline.build(corpus_settings, retriever=retriever, llm=llm))


def last(gen):
    out = None
    for out in gen:
        pass
    return out


def test_over_long_question_is_refused_politely(corpus_settings, retriever):
    llm = ScriptedLLM(REPLY)
    chat, _, _ = last(service(corpus_settings, retriever, llm).respond("x" * 2001, [], None))
    assert "limit is 2,000" in chat[-1]["content"] and llm.calls == []


def test_backend_error_is_a_chat_message_and_the_next_question_works(corpus_settings, retriever):
    svc = service(corpus_settings, retriever, FlakyLLM(REPLY))
    chat, _, session = last(svc.respond(QUESTION, [], None))
    assert chat[-1]["content"].startswith("⚠️ Ollama is not reachable") and "Traceback" not in chat[-1]["content"]
    chat, html, session = last(svc.respond(QUESTION, chat, session))
    assert "[[1]](#src-1)" in chat[-1]["content"] and "cited · verified" in html
    assert "first token" in svc.status_markdown(session)


def test_streaming_yields_partial_text_then_the_checked_answer(corpus_settings, retriever):
    steps = list(service(corpus_settings, retriever, ScriptedLLM(REPLY)).respond(QUESTION, [], None))
    assert len(steps) > 3 and steps[1][0][-1]["content"].endswith("▌")
    assert steps[-1][0][-1]["content"].startswith("Selective activation recomputation")


def test_follow_up_uses_the_session_history(corpus_settings, retriever):
    llm = ScriptedLLM(REPLY, "How much memory does selective activation recomputation save?", REPLY)
    svc = service(corpus_settings, retriever, llm)
    chat, _, session = last(svc.respond(QUESTION, [], Session()))
    chat, _, session = last(svc.respond("How much memory does it save?", chat, session))
    assert QUESTION in llm.calls[1][-1]["content"]  # the condensing prompt saw the first turn
    assert len(session.answers) == 2 and session.answers[1].standalone_question.startswith("How much memory does selective")


def test_escaping_of_answers_and_abstracts(corpus_settings, retriever):
    assert escape_md("<script>x</script> [a](javascript:1)") == "&lt;script&gt;x&lt;/script&gt; \\[a\\]\\(javascript:1\\)"
    svc = service(corpus_settings, retriever, ScriptedLLM(REPLY))
    answer = last(svc.respond(QUESTION, [], None))[2].last
    hostile = answer.__class__(**{**answer.__dict__, "text": "<img src=x onerror=alert(1)> 5x [1]."})
    md = answer_markdown(hostile)
    assert "<img" not in md and "&lt;img" in md
    src = answer.sources[0]
    evil = answer.__class__(**{**answer.__dict__, "sources": (src.__class__(**{**src.__dict__, "title": "<b>T</b>"}),)})
    assert "<b>T</b>" not in sources_html(evil) and "&lt;b&gt;T&lt;/b&gt;" in sources_html(evil)


def test_exports(corpus_settings, retriever):
    answer = last(service(corpus_settings, retriever, ScriptedLLM(REPLY)).respond(QUESTION, [], None))[2].last
    md = export_markdown(answer)
    assert md.startswith(f"**Q:** {QUESTION}") and "[1] Reducing Activation Recomputation in Large Transformer Models" in md
    assert "`reducing-activation-recomputation-in-large-trans-d90bd815`" in md
    bib = export_bibtex(answer)
    assert bib.startswith("@misc{reducing-activation-recomputation-in-large-trans-d90bd815,")
    assert "title = {Reducing Activation Recomputation in Large Transformer Models}" in bib


def test_date_filter_validation():
    assert make_filters("", "") is None
    assert make_filters("2024-01-01", "").date_from == "2024-01-01"
    with pytest.raises(ValueError, match="2024-05-31"):
        make_filters("last year", "")


def test_not_ready_message_while_indexing(corpus_settings):
    svc = ChatService(corpus_settings)
    svc.state, svc.progress = "indexing", "embedding chunks 128/662 (19%)"
    chat, _, _ = last(svc.respond("anything?", [], None))
    assert "Still getting ready" in chat[-1]["content"] and "19%" in chat[-1]["content"]
