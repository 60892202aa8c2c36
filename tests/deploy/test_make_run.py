"""`make run` as a newcomer runs it, on a terminal: `make run PORT=…` serves on that port and
says so, and one Ctrl-C stops web, worker and beat cleanly (nothing killed, nothing left
behind) with make exiting 0."""

import fcntl
import os
import pty
import re
import select
import socket
import subprocess
import termios
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.live


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Terminal:
    """`make` on a pseudo-terminal of its own: Ctrl-C is a byte typed into it, and the
    terminal interrupts its foreground process group, as a real one does."""

    def __init__(self, argv, env, cwd):
        self.master, slave = pty.openpty()

        def controlling_terminal():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            preexec_fn=controlling_terminal,
        )
        os.close(slave)
        self.output = ""

    def read_until(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None and not self._read(0):
                raise AssertionError(f"no {pattern!r} in:\n{self.output[-3000:]}")
            self._read(min(left, 1))
        return self.output

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.output += chunk.decode(errors="replace")
        return bool(chunk)

    def ctrl_c(self) -> None:
        os.write(self.master, b"\x03")

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.5)
        while self._read(0.1):
            pass
        return self.process.wait(timeout=1)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        os.close(self.master)


def _processes_with(marker: str) -> list[str]:
    """Processes whose environment names our data directory: whatever `make run` started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker.encode() in environ:
            found.append(f"{proc.name} {cmdline}")
    return found


def test_make_run_on_a_port_and_one_ctrl_c_stops_everything_cleanly(tmp_path):
    port = _free_port()
    data_dir = tmp_path / "qorrelate-data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"QORRELATE_DATA_DIR": str(data_dir), "TERM": "dumb"})
    env.pop("QORRELATE_TESTING", None)
    terminal = Terminal(["make", "run", f"PORT={port}"], env, ROOT)
    try:
        banner = terminal.read_until(r"Open http://127\.0\.0\.1:\d+", timeout=300)
        assert f"Open http://127.0.0.1:{port} " in banner
        terminal.read_until(r"celery@\S+ ready", timeout=180)
        terminal.read_until(r"beat: Starting", timeout=180)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, terminal.output[-3000:]
                time.sleep(0.5)
        assert _processes_with(str(data_dir)), "make run started nothing we can see"

        terminal.ctrl_c()
        code = terminal.wait(timeout=120)
        output = terminal.output
        assert code == 0, output[-3000:]
        assert "all stopped" in output
        assert "killed" not in output and "SIGKILL" not in output
        assert "Error 130" not in output and "Interrupt" not in output
        for name in ("web.1", "worker.1", "beat.1"):
            assert re.search(rf"{re.escape(name)} stopped (with exit code 0|on SIGTERM)", output)
        assert _processes_with(str(data_dir)) == []  # no orphans (the worker's pool included)
        # The embedded broker keeps everything under the data directory, none in the checkout.
        assert (data_dir / "broker" / "control").is_dir()
        assert not (ROOT / "control").exists()
    finally:
        terminal.close()
        for line in _processes_with(str(data_dir)):
            os.kill(int(line.split()[0]), 9)  # only ours: they carry our data directory
