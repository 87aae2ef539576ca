"""The client's resilience against a real server on loopback that misbehaves on purpose.

Each test scripts what the server answers on each path (a status, a status after a delay,
or no answer at all) and checks what reached it: how many tries, with which headers, when.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from orders_client import (
    IDEMPOTENCY_HEADER,
    ApiError,
    BulkheadFull,
    CircuitOpenError,
    DeadlineExceeded,
    Policy,
)
from orders_client.resilience import Caller

SERVICE = "orders"
FAST = Policy(backoff=0.01, max_backoff=0.02, deadline=5.0, reset_after=30.0)


@dataclass(frozen=True)
class Act:
    """One answer of the server: a status after `delay` seconds, or none (`hang`)."""

    status: int = 200
    delay: float = 0.0
    hang: bool = False
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class Recorder:
    """An observer that keeps what the client reports."""

    retries: list[str] = field(default_factory=list)
    shed_calls: int = 0
    states: list[str] = field(default_factory=list)

    def retried(self, service: str, reason: str) -> None:
        self.retries.append(reason)

    def shed(self, service: str) -> None:
        self.shed_calls += 1

    def circuit_changed(self, service: str, state: str) -> None:
        self.states.append(state)


class Misbehaving:
    """An HTTP/1.1 server on 127.0.0.1 answering each path from a script; the last act repeats."""

    def __init__(self, scripts: dict[str, list[Act]]) -> None:
        self.scripts = scripts
        self.seen: list[Seen] = []
        self.url = ""
        self._stop = asyncio.Event()

    def on(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            method, path, _ = head[0].split(" ", 2)
            headers = {}
            for line in filter(None, head[1:]):
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            await reader.readexactly(int(headers.get("content-length", "0")))
            script = self.scripts[path]
            act = script[min(len(self.on(path)), len(script) - 1)]
            self.seen.append(Seen(method, path, headers, asyncio.get_running_loop().time()))
            if act.hang:
                await self._stop.wait()
                return
            await asyncio.sleep(act.delay)
            extra = "".join(f"{k}: {v}\r\n" for k, v in act.headers)
            writer.write(
                f"HTTP/1.1 {act.status} X\r\ncontent-type: application/json\r\n{extra}"
                f"content-length: 2\r\nconnection: close\r\n\r\n{{}}".encode()
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Misbehaving]:
        server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        try:
            async with server:
                yield self
                self._stop.set()
        finally:
            self._stop.set()


def refused_url() -> str:
    """A loopback URL nothing listens on: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


Scenario = Callable[[Caller, Misbehaving], Awaitable[None]]


def play(
    scripts: dict[str, list[Act]],
    scenario: Scenario,
    policy: Policy = FAST,
    observer: Recorder | None = None,
    url: str | None = None,
) -> Misbehaving:
    """Run `scenario` with a caller of a server following `scripts`; return the server."""
    server = Misbehaving(scripts)

    async def run() -> None:
        async with server.running(), httpx.AsyncClient(base_url=url or server.url) as http:
            await scenario(Caller(SERVICE, http, policy, observer), server)

    asyncio.run(run())
    return server


async def get(caller: Caller, path: str = "/a") -> httpx.Response:
    return await caller.send("GET", path, idempotent=True)


def test_breaker_counts_calls_not_tries() -> None:
    policy = Policy(attempts=3, failures_to_open=2, backoff=0.01, max_backoff=0.02)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        for _ in range(2):
            with pytest.raises(ApiError):
                await get(caller)
        assert len(server.seen) == 6  # two calls of three tries each, still closed after one
        with pytest.raises(CircuitOpenError):
            await get(caller)

    server = play({"/a": [Act(500)]}, scenario, policy)

    assert len(server.seen) == 6


@pytest.mark.parametrize(
    ("status", "opens"), [(500, True), (503, True), (404, False), (501, False)]
)
def test_breaker_opens_on_5xx_but_not_on_4xx_or_not_ported(status: int, opens: bool) -> None:
    policy = Policy(attempts=1, failures_to_open=3)
    observer = Recorder()

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        for _ in range(3):
            with pytest.raises(ApiError):
                await get(caller)
        assert caller.breaker.state == ("opened" if opens else "closed")

    play({"/a": [Act(status)]}, scenario, policy, observer)

    assert observer.states == (["opened"] if opens else [])


def test_breaker_opens_when_the_service_refuses_connections() -> None:
    policy = Policy(attempts=2, failures_to_open=2, backoff=0.01, max_backoff=0.02)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        for _ in range(2):
            with pytest.raises(httpx.ConnectError):
                await get(caller)
        with pytest.raises(CircuitOpenError):
            await get(caller)

    play({"/a": [Act()]}, scenario, policy, url=refused_url())


def test_half_open_circuit_lets_exactly_one_trial_call_through() -> None:
    policy = Policy(attempts=1, failures_to_open=1, reset_after=0.2)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        with pytest.raises(ApiError):
            await get(caller)
        await asyncio.sleep(0.3)  # past reset_after: the next call is the trial
        outcomes = await asyncio.gather(*(get(caller) for _ in range(5)), return_exceptions=True)
        assert len(server.seen) == 2  # the failure that opened it, and one trial
        assert sum(isinstance(o, httpx.Response) for o in outcomes) == 1
        assert sum(isinstance(o, CircuitOpenError) for o in outcomes) == 4
        assert caller.breaker.state == "closed"
        await get(caller)

    play({"/a": [Act(500), Act(200, delay=0.2)]}, scenario, policy)


def test_failed_trial_call_opens_the_circuit_again() -> None:
    policy = Policy(attempts=1, failures_to_open=1, reset_after=0.2)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        with pytest.raises(ApiError):
            await get(caller)
        await asyncio.sleep(0.3)
        with pytest.raises(ApiError):
            await get(caller)
        with pytest.raises(CircuitOpenError):
            await get(caller)

    server = play({"/a": [Act(503)]}, scenario, policy)

    assert len(server.seen) == 2


def test_a_call_to_a_hanging_service_ends_at_its_deadline() -> None:
    policy = Policy(deadline=0.5, timeout=30.0, failures_to_open=1)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(DeadlineExceeded):
            await get(caller)
        assert 0.5 <= loop.time() - started < 1.5
        assert caller.breaker.state == "opened"  # a missed deadline is a failure

    play({"/a": [Act(hang=True)]}, scenario, policy)


def test_deadline_covers_retries_and_their_waits() -> None:
    policy = Policy(deadline=0.6, timeout=0.25, attempts=10, backoff=0.01, max_backoff=0.02)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises((DeadlineExceeded, httpx.TimeoutException)):
            await get(caller)
        assert loop.time() - started < 1.2

    server = play({"/a": [Act(hang=True)]}, scenario, policy)

    assert 2 <= len(server.seen) <= 3  # tries of 0.25 s fit the 0.6 s deadline


def test_idempotent_calls_are_retried_until_they_succeed() -> None:
    observer = Recorder()

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        assert (await get(caller)).status_code == 200

    server = play({"/a": [Act(503), Act(502), Act(200)]}, scenario, observer=observer)

    assert len(server.seen) == 3
    assert observer.retries == ["503", "502"]


def test_client_errors_are_not_retried() -> None:
    async def scenario(caller: Caller, server: Misbehaving) -> None:
        with pytest.raises(ApiError):
            await get(caller)

    assert len(play({"/a": [Act(404)]}, scenario).seen) == 1


def test_posts_are_retried_with_one_idempotency_key() -> None:
    async def scenario(caller: Caller, server: Misbehaving) -> None:
        response = await caller.send("POST", "/a", idempotent=False, json={"n": 1})
        assert response.status_code == 200
        await caller.send("POST", "/a", idempotent=False, json={"n": 1})

    server = play({"/a": [Act(503), Act(200)]}, scenario)

    keys = [s.headers.get(IDEMPOTENCY_HEADER.lower()) for s in server.seen]
    assert len(keys) == 3 and keys[0]
    assert keys[0] == keys[1]  # the retry repeats the key: the service can tell
    assert keys[2] != keys[0]  # a new call gets a new key


def test_a_keyed_call_waits_while_the_service_still_runs_its_first_try() -> None:
    still_running = Act(409, headers=(("Retry-After", "0"),))

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        assert (await caller.send("POST", "/a", idempotent=False)).status_code == 200
        with pytest.raises(ApiError):
            await get(caller, "/b")  # without a key, a conflict is an answer

    server = play({"/a": [still_running, Act(200)], "/b": [Act(409)]}, scenario)

    assert (len(server.on("/a")), len(server.on("/b"))) == (2, 1)


def test_idempotent_calls_carry_no_idempotency_key() -> None:
    async def scenario(caller: Caller, server: Misbehaving) -> None:
        await get(caller)

    server = play({"/a": [Act(200)]}, scenario)

    assert IDEMPOTENCY_HEADER.lower() not in server.seen[0].headers


def test_retry_after_is_respected() -> None:
    async def scenario(caller: Caller, server: Misbehaving) -> None:
        await get(caller)

    server = play({"/a": [Act(503, headers=(("Retry-After", "1"),)), Act(200)]}, scenario)

    assert server.seen[1].at - server.seen[0].at >= 1.0


def test_a_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    policy = Policy(deadline=2.0)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(ApiError) as raised:
            await get(caller)
        assert raised.value.status == 503 and raised.value.retry_after == 30
        assert loop.time() - started < 1.0

    server = play({"/a": [Act(503, headers=(("Retry-After", "30"),))]}, scenario, policy)

    assert len(server.seen) == 1


def test_bulkhead_slot_is_released_during_backoff() -> None:
    policy = Policy(max_concurrency=1, queue_timeout=0.1, backoff=0.01, max_backoff=0.02)

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        waiting = asyncio.create_task(get(caller, "/slow-to-recover"))
        await asyncio.sleep(0.3)  # its first try failed; it waits out its Retry-After
        assert (await get(caller, "/fine")).status_code == 200
        assert (await waiting).status_code == 200

    server = play(
        {
            "/slow-to-recover": [Act(503, headers=(("Retry-After", "1"),)), Act(200)],
            "/fine": [Act(200)],
        },
        scenario,
        policy,
    )

    first, second = server.on("/slow-to-recover")
    assert first.at < server.on("/fine")[0].at < second.at


def test_bulkhead_sheds_tries_beyond_its_limit() -> None:
    policy = Policy(max_concurrency=1, queue_timeout=0.05, attempts=1)
    observer = Recorder()

    async def scenario(caller: Caller, server: Misbehaving) -> None:
        busy = asyncio.create_task(get(caller))
        await asyncio.sleep(0.1)
        with pytest.raises(BulkheadFull):
            await get(caller)
        await busy
        assert caller.breaker.state == "closed"  # shedding is no failure of the service

    server = play({"/a": [Act(200, delay=0.3)]}, scenario, policy, observer)

    assert len(server.seen) == 1
    assert observer.shed_calls == 1
