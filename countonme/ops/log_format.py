"""One JSON object per log line, tagged with the request it belongs to.

Only the fields named here are written: never the request object, its headers
or its body, so a bearer token cannot end up in a log by accident.
"""

import json
import logging
from datetime import UTC, datetime

from countonme.ops import request_context

# Attributes a caller may attach with ``logger.info(..., extra={...})``.
_EXTRA_FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "client_ip",
    "user_agent",
)


class RequestContextFilter(logging.Filter):
    """Adds the current request id and device id to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.request_id.get()
        record.device_id = request_context.device_id.get()
        return True


class JsonLineFormatter(logging.Formatter):
    """Formats a record as a single line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "device_id": getattr(record, "device_id", None),
        }
        for field in _EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
