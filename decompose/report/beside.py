"""Run one piece of work in a forked copy of this process while this one goes on.

The copy shares the report and everything that built it (copy-on-write), so nothing is
pickled or sent; it sends back one line of JSON: its seconds and what the work returned
(plain JSON data), or what went wrong. Where forking is not safe (not Linux, or other
threads alive that a copy would freeze mid-lock) the caller does the work itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether this process can fork a copy of itself safely now."""
    linux = sys.platform.startswith("linux")
    return linux and hasattr(os, "fork") and threading.active_count() == 1


class Beside:
    """`work` running in a forked copy of this process; `wait` for its end, `stop` it.

    After `wait`, `result` is what `work` returned, through JSON (a tuple comes back as a
    list; a float as the same float).
    """

    def __init__(self, work: Callable[[], object]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: never returns
            os.close(read)
            _serve(work, write)
        os.close(write)
        self.pid: int | None = pid
        self._read = read
        self.result: object = None
        self.seconds: float | None = None

    def wait(self) -> float:
        """The seconds the work took in the copy.

        Raises:
            OSError: The work raised it (same errno, message and file name).
            RuntimeError: The work raised anything else (with its traceback), or the copy
                ended without saying how the work went (killed by a signal).
        """
        message = self._message()
        status = self._reap()
        if self.seconds is not None and status == 0:
            return self.seconds
        if "errno" in message:
            raise OSError(message["errno"], message["strerror"], message["filename"])
        if "error" in message:
            raise RuntimeError(f"the forked writer failed:\n{message['error']}")
        raise RuntimeError(f"the forked writer ended without an answer ({_ending(status)})")

    def receive(self) -> bool:
        """Whether the work succeeded (then `result` and `seconds` are set); one reader only.

        Reads the copy's answer without waiting for the copy to end, so a process forked
        after the copy, which cannot wait for a sibling, may take it. The copy's parent
        still calls `stop` to reap it.
        """
        return "seconds" in self._message()

    def _message(self) -> dict[str, Any]:
        """The copy's answer, read to its end; what the work returned goes to `result`."""
        chunks = []
        while chunk := os.read(self._read, 1 << 16):
            chunks.append(chunk)
        os.close(self._read)
        self._read = -1
        try:
            message = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            message = {}
        if not isinstance(message, dict):
            message = {}
        if "seconds" in message:
            self.result = message.get("result")
            self.seconds = float(message["seconds"])
        return message

    def stop(self) -> None:
        """End the copy now, if it still runs (the caller failed or was interrupted)."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reap()
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def _reap(self) -> int:
        assert self.pid is not None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return status


def _serve(work: Callable[[], object], answer: int) -> None:
    """In the copy: do the work, say how it went, and leave without cleaning up.

    os._exit skips the parent's exit handlers and buffered output, which are the
    parent's to run and flush; Ctrl-C is the parent's business too.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = 1
    try:
        start = time.perf_counter()
        result = work()
        message: dict[str, object] = {"seconds": time.perf_counter() - start, "result": result}
        code = 0
    except OSError as error:
        message = {"errno": error.errno, "strerror": error.strerror, "filename": error.filename}
    except BaseException:  # everything is reported to the parent
        message = {"error": traceback.format_exc()}
    try:
        data = json.dumps(message, default=str).encode("utf-8")
        while data:
            data = data[os.write(answer, data) :]
    finally:
        os._exit(code)


def _ending(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"stopped by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
