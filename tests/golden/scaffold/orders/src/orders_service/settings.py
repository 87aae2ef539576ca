"""Settings of the orders service, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

SERVICE_NAME = "orders"


@dataclass(frozen=True)
class Settings:
    """What the service needs to know about where it runs.

    Attributes:
        service_name: the name in logs and metrics.
        log_level: the root log level (`LOG_LEVEL`).
    """

    service_name: str = SERVICE_NAME
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Settings from environment variables, defaults for the ones not set."""
        return cls(log_level=environ.get("LOG_LEVEL", "INFO").upper())
