"""paperchat in the browser: `python app.py [--host 127.0.0.1] [--port 7860] [--data-dir DIR]`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main(argv: list[str] | None = None) -> int:
    """Start the chat: the page is up at once; the index is built and the models are loaded in the background."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from rag.chat import ChatService
    from rag.cli_common import add_common_args, settings_from_args
    from rag.errors import RagError

    parser = argparse.ArgumentParser(description=__doc__)
    add_common_args(parser)
    parser.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 7860)")
    parser.add_argument("--password", help="require this password (user 'paperchat'); or set RAG_APP__PASSWORD")
    parser.add_argument("--ollama-host", help="Ollama server URL for --llm ollama")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        settings = settings_from_args(
            args, **{"app.host": args.host, "app.port": args.port, "app.password": args.password,
                     "llm.ollama_host": args.ollama_host}
        )
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a normal exit, so export files are removed
    t0 = time.perf_counter()
    service = ChatService(settings)
    service.start(background=True)
    from rag.webapp import CSS, build_ui

    demo = build_ui(service)
    host, password = settings.app.host, settings.app.password
    if host not in LOOPBACK and not password:
        print("\n" + "!" * 78 + f"\nWARNING: paperchat is listening on {host} WITHOUT a password: anyone who can reach this\n"
              "machine can use it. Set --password or RAG_APP__PASSWORD, or bind to 127.0.0.1.\n" + "!" * 78 + "\n",
              file=sys.stderr)
    demo.queue(default_concurrency_limit=1, max_size=settings.app.queue_size)
    print(f"paperchat: page up after {time.perf_counter() - t0:.1f} s; index and models load in the background", file=sys.stderr)
    demo.launch(
        server_name=host, server_port=settings.app.port, auth=("paperchat", password) if password else None,
        show_error=False, css=CSS, footer_links=[], quiet=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
