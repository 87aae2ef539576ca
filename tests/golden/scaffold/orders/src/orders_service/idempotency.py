"""Idempotency keys: a POST or PATCH sent again with the same `Idempotency-Key` is not redone.

The service's clients send every call that is not idempotent with a fresh key, the same for
all its tries, so that they can retry it. The first request with a key runs; its answer is
kept and sent again, marked `Idempotent-Replayed: true`, to any repeat with the same key,
method, path and body. A repeat while the first still runs gets 409; the same key with
another body gets 422. Answers a client would retry (429, 500, 502, 503, 504) are not kept,
so the retry runs the request again.

Keys live in this process's memory for `ttl` seconds: with several replicas, keep them in the
service's database instead (TODO when porting the first endpoint that writes).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orders_service.problems import problem_response

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: The methods whose requests a key protects; the others are idempotent by definition.
METHODS = frozenset(["PATCH", "POST"])
#: Answers not kept, so that the client's retry runs the request again.
NOT_KEPT = frozenset({429, 500, 502, 503, 504})
#: Longest key accepted, in characters (a UUID is 36).
MAX_KEY_LENGTH = 255


@dataclass
class Replay:
    """What the first request with a key answered (nothing yet while it runs)."""

    fingerprint: str
    expires: float
    status: int | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""


class Replays:
    """The answers kept per key, oldest evicted first once `capacity` is reached."""

    def __init__(self, ttl: float = 24 * 3600, capacity: int = 10_000) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, str, str], Replay] = OrderedDict()

    def find(self, slot: tuple[str, str, str]) -> Replay | None:
        """The entry for a key, unless it expired."""
        now = time.monotonic()
        while self._entries:
            oldest = next(iter(self._entries.values()))
            if oldest.expires > now:
                break
            self._entries.popitem(last=False)
        return self._entries.get(slot)

    def start(self, slot: tuple[str, str, str], fingerprint: str) -> Replay:
        """Claim a key for a request that starts running."""
        entry = Replay(fingerprint, time.monotonic() + self.ttl)
        self._entries[slot] = entry
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return entry

    def forget(self, slot: tuple[str, str, str]) -> None:
        """Drop a key whose request failed in a way worth running again."""
        self._entries.pop(slot, None)


class Idempotency:
    """ASGI middleware that answers repeats of keyed requests from `Replays`."""

    def __init__(self, app: ASGIApp, replays: Replays | None = None) -> None:
        self.app = app
        self.replays = replays or Replays()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] not in METHODS:
            await self.app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH:
            detail = f"{HEADER} must have 1 to {MAX_KEY_LENGTH} characters."
            answer = problem_response(400, instance=scope["path"], detail=detail)
            await answer(scope, receive, send)
            return
        body, receive = await _buffered(receive)
        slot = (scope["method"], scope["path"], key)
        fingerprint = hashlib.sha256(scope.get("query_string", b"") + b"?" + body).hexdigest()
        entry = self.replays.find(slot)
        if entry is None:
            await self._first(scope, receive, send, slot, fingerprint)
        elif entry.fingerprint != fingerprint:
            detail = f"This {HEADER} was used with another request."
            answer = problem_response(422, instance=scope["path"], detail=detail)
            await answer(scope, receive, send)
        elif entry.status is None:
            detail = f"A request with this {HEADER} is still running; retry later."
            answer = problem_response(
                409, instance=scope["path"], detail=detail, headers={"Retry-After": "1"}
            )
            await answer(scope, receive, send)
        else:
            await _replay(entry, send)

    async def _first(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        slot: tuple[str, str, str],
        fingerprint: str,
    ) -> None:
        entry = self.replays.start(slot, fingerprint)
        status: int | None = None
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            if status is None or status in NOT_KEPT:
                self.replays.forget(slot)
            else:
                entry.status, entry.headers, entry.body = status, headers, b"".join(chunks)


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for header, value in scope["headers"]:
        if header == wanted:
            return bytes(value).decode("latin-1").strip()
    return None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that hands it to the app again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replayed


async def _replay(entry: Replay, send: Send) -> None:
    headers = [*entry.headers, (REPLAYED_HEADER.lower().encode(), b"true")]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body})
