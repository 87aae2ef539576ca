"""Resilience for calls to orders: timeouts, retries, a circuit breaker, a bulkhead."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx
import pybreaker
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

CORRELATION_HEADER = "X-Correlation-ID"
#: The caller's correlation id; the client sends it with every request.
correlation_id: ContextVar[str | None] = ContextVar(
    "orders_client_correlation_id", default=None
)


class ApiError(Exception):
    """The service answered with an error (a problem document when it sent one)."""

    def __init__(self, status: int, problem: dict[str, object]) -> None:
        super().__init__(f"{status}: {problem.get('detail') or problem.get('title') or 'error'}")
        self.status = status
        self.problem = problem

    @property
    def transient(self) -> bool:
        """Whether trying again later may succeed (the service is down or overloaded)."""
        return self.status in (429, 502, 503, 504)


class BulkheadFull(Exception):
    """Too many calls to the service are in flight; this one was shed."""


@dataclass(frozen=True)
class Policy:
    """How calls to the service behave under failure.

    Attributes:
        timeout: seconds for the whole request; connecting gets `connect_timeout`.
        connect_timeout: seconds to open a connection.
        attempts: tries of an idempotent call (1 turns retries off).
        backoff: first wait between tries, in seconds; it doubles, plus jitter.
        max_backoff: longest wait between tries.
        failures_to_open: consecutive failures that open the circuit.
        reset_after: seconds an open circuit waits before letting a trial call through.
        max_concurrency: calls in flight at once (the bulkhead).
        queue_timeout: seconds a call waits for a free slot before it is shed.
    """

    timeout: float = 5.0
    connect_timeout: float = 2.0
    attempts: int = 3
    backoff: float = 0.1
    max_backoff: float = 2.0
    failures_to_open: int = 5
    reset_after: float = 30.0
    max_concurrency: int = 20
    queue_timeout: float = 1.0

    def http_timeout(self) -> httpx.Timeout:
        """The httpx timeout for this policy."""
        return httpx.Timeout(self.timeout, connect=self.connect_timeout)

    def breaker(self, name: str) -> pybreaker.CircuitBreaker:
        """A circuit breaker that only counts failures of the service, not refusals."""
        return pybreaker.CircuitBreaker(
            fail_max=self.failures_to_open,
            reset_timeout=self.reset_after,
            exclude=[lambda error: isinstance(error, ApiError) and not error.transient],
            name=name,
        )

    def retrying(self, idempotent: bool) -> AsyncRetrying:
        """Retries with exponential backoff and jitter, for idempotent calls only."""
        return AsyncRetrying(
            stop=stop_after_attempt(self.attempts if idempotent else 1),
            wait=wait_exponential(multiplier=self.backoff, max=self.max_backoff)
            + wait_random(0, self.backoff),
            retry=retry_if_exception(_transient),
            reraise=True,
        )


class Bulkhead:
    """Bounds the calls in flight, so a slow service cannot exhaust the caller."""

    def __init__(self, limit: int, queue_timeout: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._queue_timeout = queue_timeout

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the duration of a call."""
        try:
            await asyncio.wait_for(self._slots.acquire(), self._queue_timeout)
        except asyncio.TimeoutError:
            raise BulkheadFull("too many calls in flight") from None
        try:
            yield
        finally:
            self._slots.release()


def _transient(error: BaseException) -> bool:
    if isinstance(error, ApiError):
        return error.transient
    return isinstance(error, httpx.TransportError)
