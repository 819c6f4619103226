"""Per-request values that every log line of the request carries.

Context variables rather than thread-locals: they follow the request through
threads (gunicorn gthread workers) and async code alike.
"""

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
device_id: ContextVar[str | None] = ContextVar("device_id", default=None)
