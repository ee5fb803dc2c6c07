"""A local HTTP server that speaks the parts of Ollama's API paperchat uses (/api/tags, /api/chat, /api/embed).

Responses follow Ollama's documented shapes: NDJSON streaming for /api/chat, 404 {"error": ...} for a model
that is not pulled. It records every request so tests can assert on the prompts the backend sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOllama:
    """Start with `with FakeOllama(models=[...], reply="...") as srv:`; srv.url is the base URL."""

    def __init__(self, models=("qwen2.5:3b",), reply="Hello [1].", token_delay=0.0, die_after=None, port=0):
        self.models = list(models)
        self.reply = reply
        self.token_delay = token_delay
        self.die_after = die_after  # tokens sent before the stream is cut (simulates a crash mid-answer)
        self.requests: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _json(self, code, obj):
                body = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                outer.requests.append((self.path, {}))
                if self.path == "/api/tags":
                    self._json(200, {"models": [
                        {"name": m, "model": m, "modified_at": "2026-11-01T00:00:00Z", "size": 1, "digest": "sha256:0",
                         "details": {"format": "gguf", "family": "qwen2", "parameter_size": "3B", "quantization_level": "Q4_K_M"}}
                        for m in outer.models]})
                elif self.path == "/api/version":
                    self._json(200, {"version": "0.12.0"})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append((self.path, body))
                model = body.get("model", "")
                if model not in outer.models and f"{model}:latest" not in outer.models:
                    self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
                    return
                if self.path == "/api/embed":
                    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    self._json(200, {"model": model, "embeddings": [[float(len(t) % 7), 1.0, 0.5] for t in inputs]})
                elif self.path == "/api/chat":
                    self._chat(body)
                else:
                    self._json(404, {"error": "not found"})

            def _chat(self, body):
                words = outer.reply.split(" ")
                tokens = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
                if not body.get("stream", True):
                    self._json(200, {"model": body["model"], "created_at": "2026-11-23T00:00:00Z",
                                     "message": {"role": "assistant", "content": outer.reply}, "done": True})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

                def send(obj):
                    data = (json.dumps(obj) + "\n").encode()
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()

                for i, tok in enumerate(tokens):
                    if outer.die_after is not None and i >= outer.die_after:
                        self.close_connection = True
                        self.wfile.flush()
                        self.connection.shutdown(2)  # cut the stream without the final chunk
                        return
                    send({"model": body["model"], "created_at": "2026-11-23T00:00:00Z",
                          "message": {"role": "assistant", "content": tok}, "done": False})
                    time.sleep(outer.token_delay)
                send({"model": body["model"], "created_at": "2026-11-23T00:00:00Z",
                      "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop",
                      "total_duration": 1, "prompt_eval_count": 10, "eval_count": len(tokens)})
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeOllama":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def chats(self) -> list[dict]:
        """Bodies of the /api/chat requests received."""
        return [b for p, b in self.requests if p == "/api/chat"]
