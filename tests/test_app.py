"""The app end to end: `python app.py` driven by gradio_client (like another program) and by Chromium (like a user)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import strategies as st

from rag.types import Paper
from tests.app_proc import AppProcess, free_port
from tests.conftest import ROOT, write_blocks
from tests.fake_ollama import FakeOllama

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HOSTILE = Paper(
    paper_id="", title="Sandboxing Kernels for Graph Analytics",
    abstract=("We sandbox graph analytics kernels. <script>window.__pwned = 1</script> "
              "<img src=x onerror=\"window.__pwned = 2\"> Our sandbox adds 3% overhead on the GAP benchmark suite "
              "while isolating untrusted kernels. [click me](javascript:alert(1))"),
    seed_files=("h.txt",),
)


@pytest.fixture(scope="module")
def corpus_app(corpus_settings, tmp_path_factory):
    import glob
    import tempfile

    app = AppProcess(tmp_path_factory.mktemp("app"), "--data-dir", str(corpus_settings.data_dir),
                     "--seeds", str(corpus_settings.seeds_dir))
    health = app.wait_ready()
    assert health["progress"] == "" and health["llm"], health  # /health says ready, not "loading the models"
    yield app
    pid = app.proc.pid
    app.stop()
    assert glob.glob(f"{tempfile.gettempdir()}/paperchat-export-{pid}-*") == []  # export files removed at exit


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (scripts/test-deps.sh does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
            "--no-first-run", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def ask_in_page(page, question: str, turn: int, timeout: float = 300_000) -> str:
    """Type a question, press Ask, wait until the turn-th answer is final (no streaming cursor, chat idle)."""
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        """n => { const rows = document.querySelectorAll('#chat .bot-row');
                  const tracker = document.querySelector('#chat [data-testid="status-tracker"]');
                  const idle = !tracker || tracker.classList.contains('hide');
                  return rows.length === n && idle && rows[n-1].innerText.trim().length > 0
                         && !rows[n-1].innerText.includes('▌'); }""",
        arg=turn, timeout=timeout,
    )
    return page.query_selector_all("#chat .bot-row")[turn - 1].inner_text()


def test_gradio_client_gets_a_cited_answer(corpus_app):
    out = corpus_app.ask("How many inference outcomes are in the benchmark for routing queries among multiple LLMs?")
    assert out["refused"] is False, out
    assert any(c["verified"] and c["paper_id"] == "routerbench-a-benchmark-for-multi-llm-67bb6300" for c in out["citations"])
    too_long = corpus_app.ask("why? " * 500)
    assert "error" in too_long and "2,000" in too_long["error"]


@pytest.mark.browser
def test_browser_trash_icon_starts_fresh_and_export_keeps_the_conversation(corpus_app, browser):
    """The chat's own trash icon is a new chat; the export holds every cited answer, even after a refusal."""
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(corpus_app.url)
    page.wait_for_selector("#question textarea", timeout=60_000)
    first = "How many inference outcomes are in the benchmark for routing queries among multiple LLMs?"
    ask_in_page(page, first, 1)
    refused = ask_in_page(page, "What is the best recipe for sourdough bread?", 2)
    assert "does not answer" in refused, refused
    page.click("text=Export this conversation")
    page.wait_for_function("document.querySelector('#export-md')?.innerText.includes('sourdough')", timeout=30_000)
    exported = page.inner_text("#export-md")
    assert first in exported and "RouterBench" in exported, exported  # the cited answer survives the refusal
    labels = [b.get_attribute("aria-label") for b in page.query_selector_all("#chat button")]
    trash = page.query_selector('#chat button[aria-label="Clear"]')
    assert trash is not None, labels
    trash.click()
    page.wait_for_function("document.querySelectorAll('#chat .bot-row').length === 0")
    page.wait_for_function("!(document.querySelector('#export-md')?.innerText ?? 'sourdough').includes('sourdough')", timeout=30_000)
    ask_in_page(page, "How does it decide when to expand?", 1)
    page.wait_for_function("document.querySelector('#export-md')?.innerText.includes('decide when to expand')", timeout=60_000)
    exported = page.inner_text("#export-md")
    assert first not in exported and "sourdough" not in exported, exported  # a fresh conversation, not a follow-up
    page.close()


def test_api_follow_up_with_history_is_answered_from_the_previous_answers_paper(corpus_app):
    """gradio_client, like another program: the follow-up's pronoun resolves to the paper the first answer cited."""
    first = corpus_app.ask("Which benchmark dataset was built to evaluate routing queries among multiple LLMs?")
    router = "routerbench-a-benchmark-for-multi-llm-67bb6300"
    assert router in [c["paper_id"] for c in first["citations"]], first
    follow = corpus_app.ask("How many inference outcomes does it include?", history=first["turns"])
    assert follow["sources"][0]["paper_id"] == router and "RouterBench" in follow["standalone_question"], follow
    assert not follow["refused"] and router in {c["paper_id"] for c in follow["citations"]}, follow
    assert "405k" in follow["answer"], follow


def test_raw_queue_cannot_load_models_or_switch_other_sessions(corpus_app):
    """A stranger drives the settings event through the raw queue with model strings of their own: nothing loads."""
    from tests.app_proc import event_index, raw_event, rss_mb

    fn = event_index(corpus_app.url, "use-llm", "click")
    configured = corpus_app.health()["llm"]
    raw_event(corpus_app.url, fn, [None, configured], "warm-up")
    before = rss_mb(corpus_app.proc.pid)
    attacks = [[None, f"llamacpp:copy-{i}.gguf"] for i in range(4)] + [
        ["llamacpp", "any string"], [None, "ollama:qwen2.5:3b"], [None, {"backend": "llamacpp"}], [None, None]]
    for i, data in enumerate(attacks):
        msg = raw_event(corpus_app.url, fn, data, f"stranger-{i}")
        assert msg.get("success") is not True or "not offered" in json.dumps(msg), msg
    assert rss_mb(corpus_app.proc.pid) - before < 50
    assert corpus_app.health()["llm"] == configured
    out = corpus_app.ask("How many inference outcomes are in the benchmark for routing queries among multiple LLMs?")
    assert out["llm"] == configured  # other sessions still answer with the configured model


@pytest.mark.browser
def test_browser_conversation_with_follow_up_and_screenshot(corpus_app, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(corpus_app.url)
    page.wait_for_selector("#question textarea", timeout=60_000)
    examples = [b.inner_text() for b in page.query_selector_all("#examples button")]
    assert len(examples) == 4 and all(e.endswith("?") for e in examples), examples  # shown whole, not cut with "..."
    first = ask_in_page(page, "Which dataset was used to evaluate the self-expanding convolutional neural network method?", 1)
    assert "[1]" in first or "[2]" in first, first
    assert ("Evidence:" in first or "Quoted from the abstracts" in first) and "“" in first, first  # the evidence, quoted
    sources = page.inner_text("#sources")
    assert "Self Expanding Convolutional Neural Networks" in sources and "cited · verified" in sources
    second = ask_in_page(page, "How does it decide when to expand?", 2)
    assert "[" in second and "does not answer" not in second, second
    assert "Self Expanding Convolutional Neural Networks" in page.inner_text("#sources")
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    # the citation marker links to its source card
    assert page.query_selector('#chat a[href^="#src-"]') is not None
    page.click("#new-chat")
    page.wait_for_function("document.querySelectorAll('#chat .bot-row').length === 0")
    page.close()


@pytest.fixture(scope="module")
def small_app(tmp_path_factory, corpus_papers):
    """First start on an empty index, a dump with a hostile abstract, and Ollama configured but not running."""
    root = tmp_path_factory.mktemp("small")
    seeds = root / "seeds"
    seeds.mkdir()
    papers = [p for p in corpus_papers.values() if p.authors][:5]
    from rag.seeds import paper_id_for

    hostile = Paper(**{**HOSTILE.__dict__, "paper_id": paper_id_for(HOSTILE.title)})
    write_blocks(seeds / "dump.txt", papers + [hostile])
    ollama_port = free_port()
    app = AppProcess(root, "--data-dir", str(root / "data"), "--seeds", str(seeds), "--llm", "ollama",
                     "--ollama-host", f"http://127.0.0.1:{ollama_port}")
    app.ollama_port = ollama_port
    app.hostile_id = hostile.paper_id
    yield app
    app.stop()


def test_empty_index_is_built_on_first_start(small_app):
    health = small_app.wait_ready()
    assert health["papers"] == 6
    assert "ollama serve" in (health["llm_error"] or "")  # told at start, app still up


def test_ollama_down_is_a_friendly_error_then_the_app_answers_when_it_returns(small_app):
    small_app.wait_ready()
    question = "How much overhead does sandboxing graph analytics kernels add?"
    down = small_app.ask(question)
    assert "Ollama is not reachable" in down["error"] and "ollama serve" in down["error"]
    assert "Traceback" not in json.dumps(down)
    reply = "Sandboxing graph analytics kernels adds 3% overhead on the GAP benchmark suite [1]."
    with FakeOllama(reply=reply, port=small_app.ollama_port):
        up = small_app.ask(question)
    assert up["refused"] is False and up["citations"][0]["paper_id"] == small_app.hostile_id


@pytest.mark.browser
def test_html_in_an_abstract_is_shown_as_text_and_runs_nothing(small_app, browser):
    small_app.wait_ready()
    reply = "Sandboxing graph analytics kernels adds 3% overhead on the GAP benchmark suite [1]. <b>bold</b> [x](javascript:alert(1))"
    with FakeOllama(reply=reply, port=small_app.ollama_port):
        page = browser.new_page()
        page.goto(small_app.url)
        page.wait_for_selector("#question textarea", timeout=60_000)
        ask_in_page(page, "How much overhead does sandboxing graph analytics kernels add?", 1, timeout=120_000)
        sources = page.inner_text("#sources")
        assert "<script>window.__pwned = 1</script>" in sources and "onerror" in sources
        assert page.evaluate("window.__pwned") is None
        assert page.query_selector("#sources script, #sources img, #chat img") is None
        assert page.query_selector('a[href^="javascript:"]') is None
        page.close()


def call_api(url: str, name: str, data: list, timeout: float = 120) -> tuple[str, object]:
    """POST /gradio_api/call/<name>, then read its SSE result: ("complete", value) or ("error", detail)."""
    import httpx

    with httpx.Client(base_url=url, timeout=timeout) as http:
        r = http.post(f"gradio_api/call/{name}", json={"data": data})
        if r.status_code != 200:
            return "rejected", r.status_code
        event_id = r.json()["event_id"]
        kind, value = "none", None
        with http.stream("GET", f"gradio_api/call/{name}/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    return kind, json.loads(line[5:])
    return kind, value


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=8)
TURN = st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", ""]), "content": st.text(max_size=60)},
                             optional={"paper_ids": st.lists(st.text(max_size=30), max_size=3)})
QUESTIONS = st.one_of(JSON, st.text(max_size=80), st.sampled_from(
    ["How much overhead does sandboxing graph analytics kernels add?", "\u202eevil\u202c?", "", "x" * 2001]))


def test_random_and_hostile_api_payloads_get_an_answer_or_a_named_error(small_app):
    """Random JSON sent to /ask over raw HTTP: a clean error sentence or a valid answer, never a server exception."""
    from hypothesis import HealthCheck, given, settings as hsettings

    small_app.wait_ready()
    examples = int(os.environ.get("RAG_API_FUZZ_EXAMPLES", "500"))
    seen = {"answers": 0, "errors": 0}

    @hsettings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(QUESTIONS, st.one_of(JSON, st.lists(TURN, max_size=3)), st.one_of(JSON, st.integers(-10, 100)))
    def probe(question, history, k):
        kind, value = call_api(small_app.url, "ask", [question, history, k])
        assert kind == "complete", (question, history, k, kind, value)
        out = value[0]
        if "error" in out:
            assert set(out) == {"error"} and isinstance(out["error"], str) and len(out["error"]) > 10, out
            assert "Traceback" not in out["error"]
            seen["errors"] += 1
        else:
            allowed = k if isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= 10 else 5
            assert len(out["sources"]) <= allowed and {c["n"] for c in out["citations"]} <= {s["n"] for s in out["sources"]}
            seen["answers"] += 1

    with FakeOllama(reply="Sandboxing graph analytics kernels adds 3% overhead on the GAP benchmark suite [1].",
                    port=small_app.ollama_port):
        probe()
        for data in ([], ["q"], ["q", [], 0, "extra"], None):  # wrong shapes: refused by the API layer, app keeps serving
            call_api(small_app.url, "ask", data)
        assert small_app.ask("How much overhead does sandboxing graph analytics kernels add?")["refused"] is False
    assert seen["answers"] and seen["errors"], seen
    assert small_app.proc.poll() is None
    assert "/rag/" not in small_app.full_log(), "a traceback from our code reached the log"
