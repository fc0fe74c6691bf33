"""The process's stop request: set by SIGTERM or SIGINT, read by a running transfer and job."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class StopFlag:
    """Set by a signal handler; a request in progress is cut short within a fraction of a second."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def set(self, reason: str) -> None:
        self.reason = reason
        self._event.set()

    def clear(self) -> None:
        self.reason = ""
        self._event.clear()

    def is_set(self) -> bool:
        return self._event.is_set()


# One per process, like the signals that set it.
STOP = StopFlag()


@contextmanager
def stopping_on(*signals: signal.Signals) -> Iterator[None]:
    """While inside, each of `signals` sets STOP (named after the signal) instead of killing.

    Only the main thread can take signals; elsewhere this does nothing.
    """

    def _handle(signum: int, _frame: Any) -> None:
        STOP.set(signal.Signals(signum).name)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _handle) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
