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
