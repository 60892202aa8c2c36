"""`make run`'s process runner: the Procfile's processes (web, worker, beat) side by side, their
output prefixed, stopped together.

Ctrl-C (or SIGTERM) asks every process to stop (SIGTERM: a Celery worker finishes its running
tasks and stops its pool first) and waits until each process, and everything it started, has
exited; then it exits 0. Only what is still running after ``QORRELATE_STOP_TIMEOUT`` seconds
(default 60) is killed, and that is said and exits 1. When a process exits by itself, the others
are stopped the same way and its exit code (or 1) is the runner's.

Why not ``honcho start``: it kills whatever has not stopped 5 s after the first process did (a
busy worker always), and exits 130 on Ctrl-C, so `make` reports "Error 130". And why the
terminal: on a terminal, Ctrl-C interrupts the whole foreground process group, `make` included,
which then dies of SIGINT whatever its recipe does; so the runner takes the terminal's
foreground for its own process group while it runs, and hands it back before exiting.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from honcho.environ import parse_procfile

STOP_TIMEOUT = float(os.environ.get("QORRELATE_STOP_TIMEOUT", "60"))


def how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"on {signal.Signals(-code).name}"
    return f"with exit code {code}"


def say(text: str) -> None:
    sys.stdout.write(f"{time.strftime('%H:%M:%S')} {'system':<8} | {text}\n")
    sys.stdout.flush()


class Terminal:
    """Ctrl-C for this runner only, when stdin is the controlling terminal."""

    def __init__(self) -> None:
        self.fd = None
        self.previous = None

    def take(self) -> None:
        try:
            fd = sys.stdin.fileno()
            if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
                return
        except (OSError, ValueError):
            return
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # changing the foreground from it
        self.previous = os.getpgrp()
        try:
            os.setpgid(0, 0)
            os.tcsetpgrp(fd, os.getpgrp())
        except OSError:
            return  # a session leader, say: Ctrl-C then reaches make too, as before
        self.fd = fd

    def give_back(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.tcsetpgrp(self.fd, self.previous)
            self.fd = None


class Process:
    def __init__(self, name: str, command: str, width: int):
        self.name = name
        self.label = name.ljust(width)
        # `exec`: the process itself, not a shell around it, gets the signals and the exit code.
        self.popen = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {command}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: no terminal signals, one killpg
        )
        self.pgid = self.popen.pid
        self.reader = threading.Thread(target=self._relay, daemon=True)
        self.reader.start()
        say(f"{name} started (pid {self.popen.pid})")

    def _relay(self) -> None:
        for raw in self.popen.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            sys.stdout.write(f"{time.strftime('%H:%M:%S')} {self.label} | {line}\n")
            sys.stdout.flush()

    def group_alive(self) -> bool:
        """The process or anything left in its group (a worker's pool children)."""
        if self.popen.poll() is None:
            return True
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, sig)


def run(procfile: Path) -> int:
    commands = parse_procfile(procfile.read_text()).processes
    stop = threading.Event()
    reason: list[str] = []

    def on_signal(signum, _frame):
        if not stop.is_set():
            reason.append(signal.Signals(signum).name)
            stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    terminal = Terminal()
    terminal.take()
    width = max(len(name) for name in commands) + 2
    processes = [Process(f"{name}.1", command, width) for name, command in commands.items()]
    first_exit: tuple[str, int] | None = None
    try:
        while not stop.wait(0.2):
            for process in processes:
                code = process.popen.poll()
                if code is not None:
                    first_exit = (process.name, code)
                    stop.set()
                    break
        if first_exit:
            say(f"{first_exit[0]} exited {how(first_exit[1])}: stopping the others")
        else:
            say(f"{reason[0]} received: stopping {', '.join(p.name for p in processes)}")
        for process in processes:
            # The process only: a Celery worker stops its own pool (its children dying of a
            # SIGTERM of their own leave it waiting for them).
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        killed = []
        reported = set()
        while any(p.group_alive() for p in processes):
            for process in processes:
                if process.name not in reported and not process.group_alive():
                    reported.add(process.name)
                    say(f"{process.name} stopped {how(process.popen.returncode)}")
            if time.monotonic() > deadline:
                for process in processes:
                    if process.group_alive():
                        killed.append(process.name)
                        process.signal_group(signal.SIGKILL)
                break
            time.sleep(0.1)
        for process in processes:
            process.popen.wait()
            process.reader.join(timeout=5)
            if process.name not in reported and process.name not in killed:
                say(f"{process.name} stopped {how(process.popen.returncode)}")
    finally:
        terminal.give_back()
    if killed:
        say(f"killed after {STOP_TIMEOUT:.0f} s: {', '.join(killed)}")
        return 1
    if first_exit:
        return first_exit[1] or 1
    say("all stopped")
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1] if len(sys.argv) > 1 else "Procfile")))
