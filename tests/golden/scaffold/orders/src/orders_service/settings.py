"""Settings of the orders service, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SERVICE_NAME = "orders"
#: The values `LOG_LEVEL` accepts.
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


@dataclass(frozen=True)
class Settings:
    """What the service needs to know about where it runs.

    Attributes:
        service_name: the name in logs and metrics.
        log_level: the root log level (`LOG_LEVEL`).
        database_url: where its own database is (`DATABASE_URL`), empty when it has none.
        mistakes: what was wrong in the environment, one sentence each; the service logs
            them at startup and runs on the defaults instead.
    """

    service_name: str = SERVICE_NAME
    log_level: str = "INFO"
    database_url: str = ""
    mistakes: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Settings from environment variables, defaults for the ones not set or not valid."""
        mistakes = []
        level = environ.get("LOG_LEVEL", "INFO").strip().upper()
        if level not in LOG_LEVELS:
            mistakes.append(
                f"LOG_LEVEL={environ['LOG_LEVEL']!r} is not a log level "
                f"(use one of {', '.join(LOG_LEVELS)}); logging at INFO"
            )
            level = "INFO"
        return cls(
            log_level=level,
            database_url=environ.get("DATABASE_URL", ""),
            mistakes=tuple(mistakes),
        )
