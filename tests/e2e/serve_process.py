"""``duiding serve`` as a real child process: started, steered over stdin, killed, resumed."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"Live sessie draait \(([A-Za-z0-9_-]+)\)")
JOIN = re.compile(r"/j/([A-Za-z0-9_-]+)")


class ServeProcess:
    """One ``duiding serve`` process; its output is read by threads, so waits stay bounded."""

    def __init__(self, pack: Path, data_dir: Path, port: int, resume: str | None = None,
                 async_mode: str | None = None, extra: tuple[str, ...] = ()) -> None:
        self.pack = pack
        self.async_mode = async_mode  # None: the command's default
        self.extra = extra  # more options, e.g. ("--message-queue", url)
        self.preexec = None  # run in the child before it starts (e.g. to set a limit)
        # Every test phone comes from 127.0.0.1 and writes many answers: lift the limits
        # per address and per question (a test of the limits themselves empties this).
        self.crowd: tuple[str, ...] = ("--joins-per-address", "100000", "--texts-per-question",
                                       "100000", "--connections-per-address", "100000")
        self.data_dir = data_dir
        self.port = port
        self.resume = resume
        self.process: subprocess.Popen | None = None
        self.out: list[str] = []
        self.err: list[str] = []
        self._seen = threading.Condition()
        self._ended: set[int] = set()  # ids of the output lists whose stream has ended
        self.session_id = ""
        self.token = ""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def join_url(self) -> str:
        return f"{self.base_url}/j/{self.token}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 20.0) -> ServeProcess:
        command = [sys.executable, "-m", "views.cli", "serve", str(self.pack),
                   "--port", str(self.port), "--host", "127.0.0.1",
                   "--public-host", "127.0.0.1", "--data-dir", str(self.data_dir),
                   *self.crowd]
        if self.resume:
            command += ["--resume", self.resume]
        if self.async_mode:
            command += ["--async-mode", self.async_mode]
        self._launch([*command, *self.extra])
        text = self.wait_for(STARTED, timeout)
        self.session_id = STARTED.search(text).group(1)
        self.token = JOIN.search(self.wait_for(JOIN, timeout)).group(1)
        return self

    def _launch(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=self.preexec,
        )
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    def _read(self, stream, lines: list[str]) -> None:
        for line in stream:
            with self._seen:
                lines.append(line)
                self._seen.notify_all()
        with self._seen:
            self._ended.add(id(lines))
            self._seen.notify_all()

    def output(self) -> str:
        with self._seen:
            return "".join(self.out)

    def wait_for(self, pattern: re.Pattern[str] | str, timeout: float = 10.0,
                 after: int = 0) -> str:
        """Wait until stdout (from character ``after`` on) matches; return all of stdout."""
        pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                text = "".join(self.out)
                if pattern.search(text, after):
                    return text
                left = deadline - time.monotonic()
                if left <= 0 or id(self.out) in self._ended:
                    raise AssertionError(
                        f"no {pattern.pattern!r} from duiding serve in {timeout} s\n"
                        f"stdout:\n{text}\nstderr:\n{''.join(self.err)}")
                self._seen.wait(min(left, 0.2))

    def command(self, letter: str, expect: str | None = None, timeout: float = 10.0) -> str:
        """Type one command; with ``expect``, wait for it in the output that follows."""
        mark = len(self.output())
        self.process.stdin.write(letter + "\n")
        self.process.stdin.flush()
        if expect is None:
            return ""
        return self.wait_for(expect, timeout, after=mark)[mark:]

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs, the journal is left as the kernel has it."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def quit(self, timeout: float = 15.0) -> int:
        self.process.stdin.write("q\n")
        self.process.stdin.flush()
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Cleanup: end the process if a test left it running."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            with contextlib.suppress(OSError):
                stream.close()


class EdgeProcess(ServeProcess):
    """``duiding edge SESSION``: more phones and projectors of a session served elsewhere."""

    def __init__(self, session_id: str, data_dir: Path, port: int,
                 async_mode: str | None = None) -> None:
        super().__init__(Path(), data_dir, port, async_mode=async_mode)
        self.session_id = session_id

    def start(self, timeout: float = 20.0) -> EdgeProcess:
        command = [sys.executable, "-m", "views.cli", "edge", self.session_id,
                   "--port", str(self.port), "--host", "127.0.0.1",
                   "--public-host", "127.0.0.1", "--data-dir", str(self.data_dir),
                   "--joins-per-address", "100000", "--connections-per-address", "100000"]
        if self.async_mode:
            command += ["--async-mode", self.async_mode]
        self._launch(command)
        self.token = JOIN.search(self.wait_for(JOIN, timeout)).group(1)
        return self
