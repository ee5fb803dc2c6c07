"""The Gradio page: chat, sources panel, settings, export and status, wired to ChatService's plain handlers."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

from .chat import ChatService, Session
from .render import export_bibtex, export_markdown, sources_html

CSS = """
.src {border: 1px solid #ddd; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; font-size: 0.92em}
.src-title {font-weight: 600}
.src-meta {color: #666; font-size: 0.85em; margin: 2px 0 6px}
.src mark {background: #fff3a3}
.badge {border-radius: 6px; padding: 0 6px; background: #eee; font-size: 0.8em}
.badge.ok {background: #d8f5d0} .badge.moved {background: #ffe2b8}
.unverified {border-color: #e99}
.refused {font-style: italic; margin-bottom: 6px}
.srcs {max-height: 60vh; overflow-y: auto; padding-right: 4px}
"""


def build_ui(service: ChatService):
    """The Blocks app; every event calls a plain method of ChatService and every input is checked there."""
    import gradio as gr

    with gr.Blocks(title="paperchat", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        ui = _layout(gr, service)
        _wire(gr, service, ui, Exports())

        def ask(question: str, history: list[dict] | None = None, k: int = 0) -> dict:
            """Answer one question. history: the "turns" of earlier answers ({"role", "content", "paper_ids"}); k: sources (0 = default)."""
            return service.api_answer(question, history, k)

        def health() -> dict:
            """Start-up state (starting, indexing, loading, ready, error), progress and papers indexed."""
            return service.health()

        gr.api(ask, api_name="ask")
        gr.api(health, api_name="health")
    return demo


def _layout(gr, service: ChatService) -> SimpleNamespace:
    """The page's components (inside an open Blocks)."""
    ui = SimpleNamespace(session=gr.State(None))
    gr.Markdown("## paperchat — ask the paper corpus\nEvery claim carries a verified citation, or the answer says the corpus does not cover it.")
    ui.status = gr.Markdown(service.status_markdown(None), elem_id="status")
    with gr.Row():
        with gr.Column(scale=3):
            ui.chatbot = gr.Chatbot(label="Chat", height=520, elem_id="chat", sanitize_html=True, allow_tags=False, buttons=["copy"])
            with gr.Row():
                ui.box = gr.Textbox(placeholder="Ask about the papers…", show_label=False, scale=5, elem_id="question", max_lines=6)
                ui.send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                ui.clear = gr.Button("New chat", scale=1, elem_id="new-chat")
            gr.Examples(examples=[[q] for q in service.examples()], inputs=[ui.box], label="Examples", elem_id="examples")
        with gr.Column(scale=2):
            ui.sources = gr.HTML(sources_html(None), elem_id="sources", label="Sources")
            with gr.Accordion("Settings", open=False):
                ui.k = gr.Slider(1, service.settings.app.max_k, value=service.settings.retrieve.k, step=1, label="Sources per answer")
                ui.temperature = gr.Slider(0.0, 1.0, value=service.settings.llm.temperature, step=0.05, label="Temperature")
                ui.date_from = gr.Textbox(label="Papers dated from (YYYY-MM-DD)", placeholder="any")
                ui.date_to = gr.Textbox(label="Papers dated to (YYYY-MM-DD)", placeholder="any")
                choices = service.llm_choices()
                ui.llm_choice = gr.Dropdown(choices, value=choices[0], label="LLM for this chat", elem_id="llm-choice",
                                            interactive=len(choices) > 1)
                ui.switch = gr.Button("Use this LLM", elem_id="use-llm")
                ui.switch_msg = gr.Markdown()
            with gr.Accordion("Export this conversation", open=False):
                ui.md_box = gr.Code(label="Markdown (copy)", language="markdown", elem_id="export-md")
                with gr.Row():
                    ui.md_file = gr.DownloadButton("Download .md", value=None, elem_id="export-md-file")
                    ui.bib_file = gr.DownloadButton("Download .bib", value=None, elem_id="export-bib-file")
    ui.timer = gr.Timer(2.0)
    return ui


def _wire(gr, service: ChatService, ui: SimpleNamespace, exports: "Exports") -> None:
    """The page's events, each a plain ChatService call (none is in the public API list)."""

    def on_submit(question, chat, session, k, temperature, date_from, date_to):
        view = None
        for view in service.respond(question, chat, session or Session(), k, temperature, date_from, date_to):
            if view.notice:
                gr.Warning(view.notice)
            yield (view.chat, view.sources or gr.skip(), view.session, service.status_markdown(view.session), view.box,
                   gr.skip(), gr.skip(), gr.skip())
        if view is not None and view.session.answers:
            md, md_path, bib_path = exports.write(view.session)
            yield gr.skip(), gr.skip(), view.session, gr.skip(), gr.skip(), md, md_path, bib_path

    def new_chat(session):
        fresh = Session(llm=session.llm if session else None)  # a new conversation keeps the chosen LLM
        return [], fresh, sources_html(None), service.status_markdown(fresh), "", None, None

    def use_llm(session, label):
        session, message = service.set_llm(session, label)
        return session, message, service.status_markdown(session)

    inputs = [ui.box, ui.chatbot, ui.session, ui.k, ui.temperature, ui.date_from, ui.date_to]
    outputs = [ui.chatbot, ui.sources, ui.session, ui.status, ui.box, ui.md_box, ui.md_file, ui.bib_file]
    ui.box.submit(on_submit, inputs, outputs, api_visibility="private", show_progress="minimal")
    ui.send.click(on_submit, inputs, outputs, api_visibility="private", show_progress="minimal")
    reset = [ui.chatbot, ui.session, ui.sources, ui.status, ui.md_box, ui.md_file, ui.bib_file]
    ui.clear.click(new_chat, [ui.session], reset, api_visibility="private")
    ui.chatbot.clear(new_chat, [ui.session], reset, api_visibility="private")  # the chat's own trash icon
    ui.switch.click(use_llm, [ui.session, ui.llm_choice], [ui.session, ui.switch_msg, ui.status], api_visibility="private")
    ui.timer.tick(service.status_markdown, [ui.session], [ui.status], api_visibility="private", show_progress="hidden")


class Exports:
    """Per-session export files in one private temp folder, removed when the process exits."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix=f"paperchat-export-{os.getpid()}-"))
        atexit.register(shutil.rmtree, self.dir, ignore_errors=True)

    def write(self, session: Session) -> tuple[str, str, str]:
        """(Markdown text, .md path, .bib path) of the session's whole conversation."""
        md = export_markdown(session.answers)
        md_path, bib_path = self.dir / f"paperchat-{session.token}.md", self.dir / f"paperchat-{session.token}.bib"
        md_path.write_text(md, encoding="utf-8")
        bib_path.write_text(export_bibtex(session.answers), encoding="utf-8")
        return md, str(md_path), str(bib_path)
