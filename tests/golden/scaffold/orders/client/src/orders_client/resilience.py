"""Resilience for calls to orders: a deadline, a circuit breaker, retries, a bulkhead.

One call goes through these layers, outermost first:

1. a deadline for the whole call, waits and retries included (`Policy.deadline`);
2. the circuit breaker, which counts calls, not tries: a call that fails after three tries is
   one failure. 5xx answers (but 501, which means "not ported yet"), transport errors and a
   missed deadline are failures. Once open, it fails calls at once; after `reset_after`
   seconds exactly one trial call goes through, and its outcome closes or reopens it;
3. retries with exponential backoff and jitter, or the wait the service asked for in
   `Retry-After`: for idempotent calls, and for others because the client sends each of them
   with an `Idempotency-Key` the service uses to answer a repeat without doing the work twice;
4. the bulkhead, which bounds the tries in flight and holds a slot during one try only, never
   through the backoff after it.

The breaker's state machine is purgatory's: it is written for asyncio and takes the start and
the end of a call as two steps, so a call spanning several awaits is one call. (pybreaker
guards a call with a thread lock and a synchronous context manager; its asynchronous path
needs Tornado.) The single trial of the half-open state is enforced here, since purgatory lets
every call through while half-open.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

CORRELATION_HEADER = "X-Correlation-ID"
IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Answers after which the same request may succeed later: the service was overloaded,
#: failed or timed out. The service keeps no idempotent replay of these, so a retry redoes it.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
#: The service's answer to a repeat of a keyed request it is still running: its outcome
#: comes later, so a keyed call tries again (a try that timed out may still be running).
STILL_RUNNING = 409
#: The 5xx answer that is no failure of the service: the endpoint is not ported yet.
NOT_IMPLEMENTED = 501
CLOSED, HALF_OPEN, OPEN = "closed", "half-opened", "opened"
#: Seconds before a call's deadline from which a cancellation is taken for the deadline's:
#: the event loop may run a timer up to its clock's resolution early.
DEADLINE_SLACK = 0.001
#: The caller's correlation id; the client sends it with every request.
correlation_id: ContextVar[str | None] = ContextVar("orders_client_correlation_id", default=None)


class ApiError(Exception):
    """The service answered with an error (a problem document when it sent one)."""

    def __init__(
        self, status: int, problem: dict[str, object], retry_after: float | None = None
    ) -> None:
        super().__init__(f"{status}: {problem.get('detail') or problem.get('title') or 'error'}")
        self.status = status
        self.problem = problem
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Whether trying again later may succeed (the service is down or overloaded)."""
        return self.status in RETRYABLE_STATUSES

    @property
    def service_failed(self) -> bool:
        """Whether the answer counts against the service's health (a 5xx but 501)."""
        return self.status >= 500 and self.status != NOT_IMPLEMENTED


class BulkheadFull(Exception):
    """Too many calls to the service are in flight; this one was shed."""


class CircuitOpenError(Exception):
    """The circuit is open: the service failed repeatedly, so the call was not made."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"circuit to {service} is open: {reason}")
        self.service = service


class DeadlineExceeded(TimeoutError):
    """The call did not finish within `Policy.deadline`, retries included."""


class Observer(Protocol):
    """Receives what the client does, for metrics (the service's `Metrics` is one)."""

    def retried(self, service: str, reason: str) -> None:
        """A try failed with `reason` (a status or an error name) and another will follow."""

    def shed(self, service: str) -> None:
        """The bulkhead refused a try."""

    def circuit_changed(self, service: str, state: str) -> None:
        """The circuit breaker is now `closed`, `half-opened` or `opened`."""


class Silent:
    """An observer that ignores everything."""

    def retried(self, service: str, reason: str) -> None:
        pass

    def shed(self, service: str) -> None:
        pass

    def circuit_changed(self, service: str, state: str) -> None:
        pass


@dataclass(frozen=True)
class Policy:
    """How calls to the service behave under failure.

    Attributes:
        deadline: seconds for a whole call: every try, wait and backoff.
        timeout: seconds for one try; connecting gets `connect_timeout`.
        connect_timeout: seconds to open a connection.
        attempts: tries of a call (1 turns retries off).
        backoff: first wait between tries, in seconds; it doubles, plus as much jitter.
        max_backoff: longest wait between tries, unless the service asks for more.
        failures_to_open: consecutive failed calls that open the circuit.
        reset_after: seconds an open circuit waits before letting one trial call through.
        max_concurrency: tries in flight at once (the bulkhead).
        queue_timeout: seconds a try waits for a free slot before it is shed.
    """

    deadline: float = 10.0
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
        """The httpx timeout of one try."""
        return httpx.Timeout(self.timeout, connect=self.connect_timeout)


class Bulkhead:
    """Bounds the tries in flight, so a slow service cannot exhaust the caller."""

    def __init__(self, limit: int, queue_timeout: float) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._queue_timeout = queue_timeout

    @asynccontextmanager
    async def slot(self, wait: float | None = None) -> AsyncIterator[None]:
        """Hold one slot for one try; wait at most `wait` (or the queue timeout) for it."""
        patience = self._queue_timeout if wait is None else min(wait, self._queue_timeout)
        try:
            await asyncio.wait_for(self._slots.acquire(), max(patience, 0.0))
        except asyncio.TimeoutError:
            raise BulkheadFull("too many calls in flight") from None
        try:
            yield
        finally:
            self._slots.release()


class Breaker:
    """A circuit breaker over purgatory's state machine that lets one trial call through."""

    def __init__(self, service: str, policy: Policy, observer: Observer) -> None:
        self.service = service
        self._factory = AsyncCircuitBreakerFactory(
            default_threshold=policy.failures_to_open, default_ttl=policy.reset_after
        )
        self._observer = observer
        self._trial_in_flight = False
        self._reported = CLOSED

    @property
    def state(self) -> str:
        """`closed`, `half-opened` or `opened`, as of the last call."""
        return self._reported

    @asynccontextmanager
    async def call(self, deadline: float) -> AsyncIterator[None]:
        """Guard one call: refuse it while open, then record how it ended.

        A call cancelled by its caller before `deadline` says nothing about the service and
        is not recorded; one cancelled by the deadline is a failure.
        """
        breaker = await self._factory.get_breaker(self.service)
        try:
            # The start of a call: purgatory raises its open state while the circuit is open,
            # and turns an open circuit half-open once `reset_after` has passed.
            await breaker.__aenter__()
        except OpenedState:
            raise CircuitOpenError(self.service, "failing fast") from None
        trial = breaker.context.state == HALF_OPEN
        if trial and self._trial_in_flight:
            raise CircuitOpenError(self.service, "a trial call is in flight")
        self._trial_in_flight = self._trial_in_flight or trial
        self._report(breaker.context.state)
        outcome: BaseException | None = _UNKNOWN
        try:
            yield
            outcome = None
        except asyncio.CancelledError:
            if asyncio.get_running_loop().time() < deadline - DEADLINE_SLACK:
                outcome = _UNKNOWN
            else:
                outcome = DeadlineExceeded("the deadline passed")
            raise
        except Exception as error:
            outcome = _verdict(error)
            raise
        finally:
            if trial:
                self._trial_in_flight = False
            if outcome is not _UNKNOWN:
                # The end of a call: a failure counts towards opening, a success closes.
                await breaker.__aexit__(type(outcome) if outcome else None, outcome, None)
                self._report(breaker.context.state)

    def _report(self, state: str) -> None:
        if state != self._reported:
            self._reported = state
            self._observer.circuit_changed(self.service, state)


class _Unknown(Exception):
    """The outcome of a call that tells nothing about the service."""


_UNKNOWN = _Unknown()


def _verdict(error: Exception) -> BaseException | None:
    """The failure a call's error is for the breaker: itself, nothing, or unknown."""
    if isinstance(error, ApiError):
        return error if error.service_failed else None
    if isinstance(error, (httpx.TransportError, DeadlineExceeded)):
        return error
    return _UNKNOWN  # shed by the bulkhead, or a fault of the caller


class Caller:
    """Sends requests to the service under a policy: deadline, breaker, retries, bulkhead."""

    def __init__(
        self,
        service: str,
        http: httpx.AsyncClient,
        policy: Policy,
        observer: Observer | None = None,
    ) -> None:
        self.service = service
        self.policy = policy
        self._http = http
        self._observer = observer or Silent()
        self.breaker = Breaker(service, policy, self._observer)
        self.bulkhead = Bulkhead(policy.max_concurrency, policy.queue_timeout)
        self._backoff = wait_exponential(multiplier=policy.backoff, max=policy.max_backoff)
        self._backoff += wait_random(0, policy.backoff)

    async def send(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        params: Mapping[str, str] | None = None,
        json: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one call, trying again while that is safe and useful.

        A call that is not idempotent gets an `Idempotency-Key` (the same for all its tries)
        unless it has one, so that it can be retried too.

        Raises:
            ApiError: the service answered with an error.
            CircuitOpenError: the circuit is open; no request was sent.
            BulkheadFull: too many tries in flight.
            DeadlineExceeded: the call took longer than the policy's deadline.
            httpx.TransportError: the service could not be reached.
        """
        sent = dict(headers or {})
        if not idempotent:
            sent.setdefault(IDEMPOTENCY_HEADER, uuid.uuid4().hex)
        request = _Request(method, path, dict(params or {}), json, sent)
        deadline = asyncio.get_running_loop().time() + self.policy.deadline
        try:
            return await asyncio.wait_for(self._call(request, deadline), self.policy.deadline)
        except asyncio.TimeoutError:
            message = f"{method} {path} took longer than {self.policy.deadline}s"
            raise DeadlineExceeded(message) from None

    async def _call(self, request: _Request, deadline: float) -> httpx.Response:
        async with self.breaker.call(deadline):
            async for attempt in self._retrying(deadline, IDEMPOTENCY_HEADER in request.headers):
                with attempt:
                    return await self._try(request, deadline)
        raise AssertionError("unreachable: the retry loop returns or raises")

    def _retrying(self, deadline: float, keyed: bool) -> AsyncRetrying:
        def past_deadline(state: RetryCallState) -> bool:
            # Waiting beyond the deadline is pointless: give up with the last error now.
            return asyncio.get_running_loop().time() + state.upcoming_sleep >= deadline

        return AsyncRetrying(
            stop=stop_after_attempt(self.policy.attempts) | past_deadline,
            wait=self._wait,
            retry=retry_if_exception(_keyed_transient if keyed else _transient),
            before_sleep=self._retried,
            reraise=True,
        )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, ApiError) and error.retry_after is not None:
            return error.retry_after
        return float(self._backoff(state))

    def _retried(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        reason = str(error.status) if isinstance(error, ApiError) else type(error).__name__
        self._observer.retried(self.service, reason)

    async def _try(self, request: _Request, deadline: float) -> httpx.Response:
        left = deadline - asyncio.get_running_loop().time()
        try:
            async with self.bulkhead.slot(left):
                response = await self._http.request(
                    request.method,
                    request.path,
                    params=request.params,
                    json=request.json,
                    headers=request.headers,
                    timeout=httpx.Timeout(
                        min(self.policy.timeout, left),
                        connect=min(self.policy.connect_timeout, left),
                    ),
                )
        except BulkheadFull:
            self._observer.shed(self.service)
            raise
        if response.is_error:
            raise ApiError(response.status_code, _problem(response), _retry_after(response))
        return response


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    params: dict[str, str]
    json: object
    headers: dict[str, str]


def _keyed_transient(error: BaseException) -> bool:
    return _transient(error) or (isinstance(error, ApiError) and error.status == STILL_RUNNING)


def _transient(error: BaseException) -> bool:
    if isinstance(error, ApiError):
        return error.transient
    return isinstance(error, httpx.TransportError)


def _problem(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"title": response.reason_phrase, "status": response.status_code}


def _retry_after(response: httpx.Response) -> float | None:
    """The seconds the service asked to wait (`Retry-After`: seconds or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)
