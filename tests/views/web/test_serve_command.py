"""``duiding serve``: the live room alone, with nothing of the server on the terminal."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import socketio

from views.cli import EXAMPLE_PACK
from views.web.network import free_port
from views.web.runtime import ASYNC_MODES


def garbage_request(port: int) -> None:
    """Something the server can only log: a request line that is no HTTP at all."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"\x88\x82 NOT HTTP\r\n\r\n")
        raw.recv(1024)  # the server's refusal, or the end of the connection


@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_serve_runs_the_room_and_logs_to_a_file_only(tmp_path, async_mode):
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "views.cli", "serve", str(EXAMPLE_PACK), "--port", str(port),
         "--host", "127.0.0.1", "--public-host", "127.0.0.1", "--data-dir", str(tmp_path),
         "--async-mode", async_mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=Path(__file__).resolve().parents[3],
    )
    try:
        lines = []
        while not any("/j/" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        token = re.search(r"/j/([A-Za-z0-9_-]+)", "".join(lines)).group(1)
        if sys.platform == "linux":  # threading mode started itself again with glibc's
            environ = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
            tcache_off = b"GLIBC_TUNABLES=glibc.malloc.tcache_count=0" in environ
            assert tcache_off == (async_mode == "threading")  # tcache off (same pid)
        client = socketio.Client(reconnection=False)
        states = []
        client.on("state", states.append, namespace="/phone")
        client.connect(f"http://127.0.0.1:{port}", namespaces=["/phone"],
                       auth={"code": token})
        assert client.call("join", {"perspective": "inwoner", "language": "nl"},
                           namespace="/phone")["ok"]
        process.stdin.write("s\n")
        process.stdin.flush()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and states[-1]["session"]["stage"] != "recognise":
            time.sleep(0.05)
        assert states[-1]["session"]["stage"] == "recognise"
        garbage_request(port)
        client.disconnect()
        out, err = process.communicate("q\n", timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert err == ""  # nothing of werkzeug, engineio, socketio or gevent on the terminal
    assert "0 antwoorden, 1 deelnemer\n" in out  # one, not "1 deelnemers"
    [log] = list((tmp_path / "logs").glob("web-*.log"))
    assert log.read_text(encoding="utf-8", errors="replace").strip()  # the garbage: here
