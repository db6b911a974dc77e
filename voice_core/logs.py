"""One logging setup for every service: structlog JSON lines on stdout.

Records are rendered in the calling thread (cheap) and handed to a `QueueHandler`; a
`QueueListener` thread does the blocking write, so a slow stdout never stalls the event loop.
Standard-library loggers (uvicorn, grpc, psycopg) go through the same JSON renderer.
"""

from __future__ import annotations

import logging
import logging.handlers
import queue
import sys
from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger

from voice_core.redaction import secret_redactor, secret_values
from voice_core.settings import ServiceSettings

_listener: logging.handlers.QueueListener | None = None


def _add_service(service: str) -> structlog.typing.Processor:
    def processor(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return processor


def configure_logging(service: str, settings: ServiceSettings) -> None:
    """Route structlog and stdlib logging through a queue to JSON lines on stdout, at the
    settings' level, with every secret setting's value masked."""
    global _listener
    stop_logging()

    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
        secret_redactor(secret_values(settings)),
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
    log_queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
    queue_handler = logging.handlers.QueueHandler(log_queue)
    queue_handler.setFormatter(formatter)
    stream_handler = logging.StreamHandler(sys.stdout)
    _listener = logging.handlers.QueueListener(log_queue, stream_handler)
    _listener.start()

    root = logging.getLogger()
    root.handlers[:] = [queue_handler]
    root.setLevel(settings.log_level)

    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def stop_logging() -> None:
    """Flush queued records and stop the writer thread."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None
