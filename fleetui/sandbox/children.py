"""Child processes for `manage.py demo`: started in their own session, output to a log file, stopped in order.

Each child runs in its own session, so the terminal's Ctrl-C reaches only the demo command, which
then stops the children one by one (web first, the sandbox last) instead of all of them at once.
"""

import collections
import contextlib
import os
import queue
import re
import signal
import subprocess
import threading
import time
from pathlib import Path


class ChildFailed(Exception):
    """A child exited, or never printed its ready line. The message names it and its log."""


class Child:
    """A running child process. Its output is copied to `log_path`; `wait_for` awaits a line."""

    def __init__(self, *, name: str, argv: list[str], env: dict[str, str], log_path: Path, cwd: Path | None = None):
        self.name = name
        self.log_path = log_path
        self._log = log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
            start_new_session=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        # Lines are queued only until the ready line is found; after that only the log file keeps them.
        self._watching = threading.Event()
        self._watching.set()
        self._tail: collections.deque[str] = collections.deque(maxlen=15)
        self._pump = threading.Thread(target=self._copy_output, name=f"{name}-output", daemon=True)
        self._pump.start()

    def _copy_output(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._log.write(line)
            self._log.flush()
            self._tail.append(line.rstrip())
            if self._watching.is_set():
                self._lines.put(line)
        self._lines.put(None)  # end of output: the child has exited (or closed its stdout)

    def wait_for(self, pattern: re.Pattern[str], *, timeout: float, echo=None) -> re.Match[str]:
        """Return the first output line's match of `pattern`; raise ChildFailed on exit or after `timeout` s.

        `echo`, if given, is called with every line read while waiting (progress for the console).
        """
        deadline = time.monotonic() + timeout
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    line = self._lines.get(timeout=min(remaining, 0.5))
                except queue.Empty:
                    continue
                if line is None:
                    raise ChildFailed(f"{self.name} exited with code {self.proc.wait(timeout=10)} before it was ready.")
                if echo is not None:
                    echo(line)
                if match := pattern.search(line):
                    return match
            raise ChildFailed(f"{self.name} did not say it was ready within {timeout:g} s.")
        except ChildFailed as failure:
            raise ChildFailed(f"{failure}\n{self.last_lines()}") from None
        finally:
            self._watching.clear()

    def last_lines(self) -> str:
        tail = "\n".join(f"    {line}" for line in self._tail)
        return f"Its last lines:\n{tail}\nFull log: {self.log_path}"

    def check_alive(self) -> None:
        code = self.proc.poll()
        if code is not None:
            self._pump.join(timeout=2)
            raise ChildFailed(f"{self.name} stopped unexpectedly (exit code {code}).\n{self.last_lines()}")

    def terminate(self) -> None:
        """Ask it to stop: SIGTERM, on which celery, gunicorn and the sandbox each shut down cleanly."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def stop(self, *, timeout: float = 15) -> None:
        """SIGTERM, then SIGKILL to its whole process group if it is still there after `timeout` s."""
        if self.proc.poll() is None:
            self.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_group(self.proc.pid)
                self.proc.wait(timeout=5)
        # The child led its own process group: anything of it still there (a pool process) goes too.
        _kill_group(self.proc.pid)
        self._pump.join(timeout=5)
        self._log.close()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # nothing left of the group
        os.killpg(pgid, signal.SIGKILL)


def run_foreground(argv: list[str], *, env: dict[str, str], cwd: Path | None = None) -> int:
    """Run a child with the console as its output (progress bars show) and return its exit code.

    Ctrl-C or SIGTERM while it runs stops it, then propagates.
    """
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        return proc.wait()
    except BaseException:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
        raise
