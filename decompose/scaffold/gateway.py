"""The strangler-fig gateway: which paths go to which service at each step of the extraction.

Step 0 sends everything to the monolith. Step k also sends the paths of the first k services
of the report's extraction order to those services (services the order leaves out come last,
by name), so the monolith is strangled one service at a time and each step can be undone by
going back one. The templates render one nginx configuration per step from these views.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from decompose.scaffold.api_views import API_PREFIX, EndpointView

#: A path parameter of an endpoint, `{name}`: one path segment in the gateway.
_PARAMETER = re.compile(r"\{[^{}/]*\}")
#: What a segment matched for a path parameter holds: anything but a slash.
SEGMENT = "[^/]+"


@dataclass(frozen=True)
class Location:
    """One nginx `location`: an exact path (`=`) or a regular expression (`~`)."""

    modifier: str
    pattern: str

    @property
    def quoted(self) -> str:
        """The pattern as an nginx quoted string."""
        return '"' + self.pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class RoutedService:
    """A service the gateway sends its paths to."""

    label: str
    upstream: str  # its base URL, e.g. http://orders:8000
    locations: tuple[Location, ...]


@dataclass(frozen=True)
class GatewayStep:
    """The routes of one step: the services extracted so far, newest last."""

    number: int
    extracted: tuple[RoutedService, ...]

    @property
    def routes(self) -> int:
        """How many paths leave the monolith at this step."""
        return sum(len(service.locations) for service in self.extracted)

    @property
    def newest(self) -> str:
        """The service this step extracts, or an empty string for step 0."""
        return self.extracted[-1].label if self.extracted else ""


def locations(endpoints: Iterable[EndpointView]) -> tuple[Location, ...]:
    """The nginx locations of a service's public endpoints, sorted, without repeats.

    Internal endpoints (API_PREFIX: calls that other services made in-process) are for
    the services themselves; the gateway in front of the monolith never routes them.
    """
    found = {_location(e.path) for e in endpoints if not e.path.startswith(API_PREFIX + "/")}
    return tuple(sorted(found, key=lambda loc: (loc.modifier, loc.pattern)))


def _location(path: str) -> Location:
    if not _PARAMETER.search(path):
        return Location("=", path)
    literal = (re.escape(part) for part in _PARAMETER.split(path))
    return Location("~", "^" + SEGMENT.join(literal) + "$")


def gateway_steps(order: Sequence[RoutedService]) -> tuple[GatewayStep, ...]:
    """Step 0 (all to the monolith), then one step per service in extraction order."""
    return tuple(GatewayStep(k, tuple(order[:k])) for k in range(len(order) + 1))
