"""Why a module sits where the decomposition put it: the evidence and how sure it is."""

from __future__ import annotations

from enum import Enum

from decompose.model.facts import Frozen


class Reason(str, Enum):
    """The kind of evidence that decided a module's place."""

    APP = "app"  # inside the package of a domain app (it owns data or declares an app)
    MODELS = "models"  # defines the context's tables
    NAME = "name"  # a part of its path names the context (`graphql/order/...` -> order)
    USES = "uses"  # most of its coupling is with the context's code
    MERGED = "merged"  # a small group without data of its own, merged into its closest context
    KERNEL = "kernel"  # used by several contexts and leaning on none: shared kernel
    WIRING = "wiring"  # coupled to no context, or to all alike: entry points, settings, setup
    SPLIT = "split"  # defines the tables of several contexts: to be split, kept shared meanwhile
    PINNED = "pinned"  # the user said so
    COMMUNITY = "community"  # a graph community (the classic algorithms)


class Alternative(Frozen):
    """Another service the evidence pointed to, with its share of the evidence."""

    service: str | None  # None: the shared kernel
    share: float


class Placement(Frozen):
    """The evidence for one module's place, in a sentence, and a confidence in 0..1."""

    reason: Reason
    confidence: float
    detail: str
    alternatives: tuple[Alternative, ...] = ()
