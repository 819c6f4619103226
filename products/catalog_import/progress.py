"""A one-line progress bar for imports run from a terminal, and its silent twin."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

BAR_WIDTH = 30
REDRAW_SECONDS = 0.2  # redrawing on every row would cost more than the import


class Progress(Protocol):
    """What a reader reports: a phase (name, expected total) and how far it has got."""

    def start(self, label: str, total: int) -> None: ...

    def update(self, done: int) -> None: ...

    def finish(self) -> None: ...


class SilentProgress:
    """Reports nothing: for logs, pipes and tests."""

    def start(self, label: str, total: int) -> None:
        pass

    def update(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


class TerminalProgress:
    """Redraws ``label [#####-----]  45%`` in place on a terminal.

    ``write`` must print its text as is (no newline added) and flush it.
    """

    def __init__(self, *, write: Callable[[str], object]) -> None:
        self._write = write
        self._label = ""
        self._total = 0
        self._drawn_at = 0.0
        self._active = False

    def start(self, label: str, total: int) -> None:
        self.finish()
        self._label, self._total, self._active = label, max(total, 1), True
        self._draw(0)

    def update(self, done: int) -> None:
        now = time.monotonic()
        if self._active and now - self._drawn_at >= REDRAW_SECONDS:
            self._draw(done)

    def finish(self) -> None:
        if self._active:
            self._draw(self._total)
            self._write("\n")
            self._active = False

    def _draw(self, done: int) -> None:
        self._drawn_at = time.monotonic()
        share = min(done / self._total, 1.0)
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self._write(f"\r{self._label} [{bar}] {share:4.0%}")
