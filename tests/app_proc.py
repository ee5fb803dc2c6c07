"""Run `python app.py` as a user would, on a free loopback port, and wait until it reports ready."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class AppProcess:
    """A paperchat app process; `.url`, `.client()`, `.health()`, `.log()`."""

    def __init__(self, log_dir: Path, *args: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_dir / f"app-{self.port}.log"
        self._log = self.log_path.open("wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py"), "--port", str(self.port), *args],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
        self._client = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def full_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def client(self):
        from gradio_client import Client

        if self._client is None:
            deadline = time.monotonic() + 180
            while True:
                try:
                    self._client = Client(self.url, verbose=False)
                    break
                except Exception:
                    if self.proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("app did not come up:\n" + self.log())
                    time.sleep(1)
        return self._client

    def health(self) -> dict:
        return self.client().predict(api_name="/health")

    def wait_ready(self, timeout: float = 900) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            h = self.health()
            if h["state"] in ("ready", "error") or time.monotonic() > deadline:
                assert h["state"] == "ready", (h, self.log())
                self.ready_after = time.monotonic() - self.started
                return h
            time.sleep(1)

    def ask(self, question: str, history=None, k: int = 0) -> dict:
        return self.client().predict(question=question, history=history or [], k=k, api_name="/ask")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def raw_event(url: str, fn_index: int, data: list, session_hash: str, timeout: float = 300) -> dict:
    """Call an event the way a stranger can: POST /gradio_api/queue/join, then read the SSE stream to its end.

    Returns the final message ({"msg": "process_completed", "success": ..., "output": ...}) or the join's error JSON.
    """
    import json

    import httpx

    with httpx.Client(base_url=url, timeout=timeout) as http:
        join = http.post("gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "session_hash": session_hash,
                                                         "event_data": None, "trigger_id": None})
        if join.status_code != 200:
            return {"msg": "join_failed", "status": join.status_code, "body": join.text}
        with http.stream("GET", "gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    msg = json.loads(line[5:])
                    if msg.get("msg") in ("process_completed", "close_stream", "unexpected_error"):
                        return msg
    return {"msg": "no_completion"}


def event_index(url: str, elem_id: str, trigger: str) -> int:
    """fn_index of the event a component (by elem_id) triggers, read from the public /config."""
    import httpx

    config = httpx.get(url + "config", timeout=30).json()
    ids = {c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == elem_id}
    return next(d["id"] for d in config["dependencies"] if any(t[0] in ids and t[1] == trigger for t in d["targets"]))


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
