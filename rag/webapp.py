"""The Gradio page: chat, sources panel, settings, export and status, wired to ChatService's plain handlers."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .chat import ChatService, Session, api_answer
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
    """The Blocks app; every event calls a plain function of ChatService."""
    import gradio as gr

    export_dir = Path(tempfile.mkdtemp(prefix="paperchat-export-"))

    def on_submit(question, chat, session, k, temperature, date_from, date_to):
        session = session or Session()
        for chat_out, html, session in service.respond(question, chat, session, int(k), float(temperature), date_from, date_to):
            yield chat_out, html or gr.skip(), session, service.status_markdown(session), "", gr.skip(), gr.skip(), gr.skip()
        md, bib = export_markdown(session.last), export_bibtex(session.last)
        md_path, bib_path = export_dir / f"answer-{id(session)}.md", export_dir / f"answer-{id(session)}.bib"
        md_path.write_text(md)
        bib_path.write_text(bib)
        yield gr.skip(), gr.skip(), session, service.status_markdown(session), "", md, str(md_path), str(bib_path)

    def new_chat():
        return [], Session(), sources_html(None), service.status_markdown(None), "", None, None

    with gr.Blocks(title="paperchat", analytics_enabled=False) as demo:
        session = gr.State(None)
        gr.Markdown("## paperchat — ask the paper corpus\nEvery claim carries a verified citation, or the answer says the corpus does not cover it.")
        status = gr.Markdown(service.status_markdown(None), elem_id="status")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=520, elem_id="chat", sanitize_html=True, allow_tags=False,
                                     buttons=["copy"])
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask about the papers…", show_label=False, scale=5, elem_id="question",
                                     max_lines=6)
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    clear = gr.Button("New chat", scale=1, elem_id="new-chat")
                examples = gr.Examples(examples=[[q] for q in service.examples()] or [["Which papers study LLM serving?"]],
                                       inputs=[box], label="Examples")
            with gr.Column(scale=2):
                sources = gr.HTML(sources_html(None), elem_id="sources", label="Sources")
                with gr.Accordion("Settings", open=False):
                    llm_name = service.pipeline.llm.name if service.pipeline else service.settings.llm.backend
                    k = gr.Slider(1, 10, value=service.settings.retrieve.k, step=1, label="Sources per answer")
                    temperature = gr.Slider(0.0, 1.0, value=service.settings.llm.temperature, step=0.05, label="Temperature")
                    date_from = gr.Textbox(label="Papers dated from (YYYY-MM-DD)", placeholder="any")
                    date_to = gr.Textbox(label="Papers dated to (YYYY-MM-DD)", placeholder="any")
                    backend = gr.Dropdown(["llamacpp", "ollama", "openai"], value=service.settings.llm.backend, label="LLM backend")
                    model = gr.Textbox(value=service.settings.llm.model, label="Model (ollama/openai)", placeholder=llm_name)
                    switch = gr.Button("Use this LLM")
                    switch_msg = gr.Markdown()
                with gr.Accordion("Export the last answer", open=False):
                    md_box = gr.Code(label="Markdown (copy)", language="markdown", elem_id="export-md")
                    with gr.Row():
                        md_file = gr.DownloadButton("Download .md", value=None)
                        bib_file = gr.DownloadButton("Download .bib", value=None)
        timer = gr.Timer(2.0)

        inputs = [box, chatbot, session, k, temperature, date_from, date_to]
        outputs = [chatbot, sources, session, status, box, md_box, md_file, bib_file]
        box.submit(on_submit, inputs, outputs, api_visibility="private", show_progress="minimal")
        send.click(on_submit, inputs, outputs, api_visibility="private", show_progress="minimal")
        clear.click(new_chat, None, [chatbot, session, sources, status, md_box, md_file, bib_file], api_visibility="private")
        switch.click(lambda b, m: service.set_llm(b, m), [backend, model], [switch_msg], api_visibility="private")
        timer.tick(lambda s: service.status_markdown(s), [session], [status], api_visibility="private", show_progress="hidden")

        def ask(question: str, history: list[dict] | None = None, k: int = 0) -> dict:
            """Answer one question; history is a list of {"role", "content"} turns; returns the answer as JSON."""
            return api_answer(service, question, history, k or None)

        gr.api(ask, api_name="ask")

        def health() -> dict:
            """Start-up state (starting, indexing, loading, ready, error), progress and papers indexed."""
            papers = service.pipeline.retriever.paper_count if service.pipeline else 0
            return {"state": service.state, "progress": service.progress, "error": service.error, "papers": papers,
                    "llm": service.pipeline.llm.name if service.pipeline else None, "llm_error": service.llm_error}

        gr.api(health, api_name="health")
        del examples
    return demo
