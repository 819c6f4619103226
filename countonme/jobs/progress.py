"""How a running job says how far it has got: to Celery's result backend and to the log.

``JobProgress`` has the shape of the catalog readers' ``Progress`` (a phase with
its expected total, then how much is done), so an import reports through it
unchanged; every report also renews the job's single-run lock.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from countonme.jobs.locks import Lease

logger = logging.getLogger("countonme.jobs")
T = TypeVar("T")

REPORT_EVERY_SECONDS = 1.0  # to the result backend (a Redis write)
LOG_EVERY_SECONDS = 30.0


class JobProgress:
    """Progress of one job: ``{"job", "phase", "done", "total", "items"}``."""

    def __init__(
        self, job: str, *, lease: Lease, report: Callable[[dict[str, Any]], Any] | None = None
    ) -> None:
        self.job = job
        self.lease = lease
        self.report = report
        self.state: dict[str, Any] = {"job": job, "phase": "", "done": 0, "total": 0, "items": 0}
        self._reported = self._logged = time.monotonic()

    def start(self, label: str, total: int) -> None:
        self.state.update(phase=label, done=0, total=total)
        self._tell(force=True)

    def update(self, done: int) -> None:
        self.state["done"] = done
        self._tell()

    def finish(self) -> None:
        self.state["done"] = self.state["total"]
        self._tell(force=True)

    def count(self, items: Iterable[T]) -> Iterator[T]:
        """``items`` as they are consumed, counted under ``items`` (foods read, rows erased)."""
        for item in items:
            self.state["items"] += 1
            yield item
            self._tell()

    def add(self, items: int) -> None:
        """Count ``items`` more done (a batch)."""
        self.state["items"] += items
        self._tell()

    def _tell(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._reported < REPORT_EVERY_SECONDS:
            return
        self._reported = now
        self.lease.renew()
        if self.report is not None:
            self.report(dict(self.state))
        if force or now - self._logged >= LOG_EVERY_SECONDS:
            self._logged = now
            logger.info(
                "%s: %s %s/%s, %s items",
                self.job,
                self.state["phase"],
                self.state["done"],
                self.state["total"],
                self.state["items"],
            )


def task_state_reporter(task: Any) -> Callable[[dict[str, Any]], Any] | None:
    """Reports as the Celery ``task``'s ``PROGRESS`` state (``AsyncResult(id).info``).

    ``None`` when the task is not running under a worker (called directly), where
    there is no result to update.
    """
    if not task.request.id or task.request.is_eager:
        return None
    return lambda state: task.update_state(state="PROGRESS", meta=state)
