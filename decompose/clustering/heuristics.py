"""Every threshold of the default clustering, each with the reason for its value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heuristics:
    """The judgement calls of the default algorithm, in one place.

    Each is a fraction or a count an architect would recognise; the unit tests of the
    steps build small graphs on either side of them.
    """

    # A package holding at least this share of the project's modules is the project's
    # core, not one bounded context: the data it holds is opened into entities.
    core_share: float = 0.5
    # A package is a horizontal layer when its modules name at least this many other
    # contexts (`graphql/order`, `graphql/product`): two, since one is a dependency.
    layer_contexts: int = 2
    # ... and those names cover at least this share of its modules (a package of one
    # domain that mentions another in one file is still that domain).
    layer_share: float = 0.2
    # A role-named package (`core/`, `base/`) defining at least this share of all the
    # project's tables holds several domains' data, however small its code: its tables
    # are opened like the project core's (shuup's core/: 49% of the tables, 18% of code).
    core_tables: float = 0.4
    # A single models module defining at least this many tables holds several
    # aggregates: its classes are grouped by their relations.
    split_classes: int = 8
    # A name found in at least this many layers (`admin/`, `api/`, `schemas/`) names a
    # business capability even where no app or table carries it.
    recurring_layers: int = 2
    # A module joins the context that gets at least this share of its coupling ...
    dominant_share: float = 0.5
    # ... counting what uses it at this weight against what it uses: a helper used only
    # by one context's code belongs there, but less surely than code that uses it.
    used_by_weight: float = 0.5
    # Placing by coupling runs in rounds outward from the named code; each round decides
    # on the previous ones only, so the order modules are visited in does not matter.
    rounds: int = 8
    # A context of at most this many modules that owns no data and declares no app is a
    # fragment: it joins the context it is most coupled to.
    fragment_modules: int = 2
    # A fragment joins a context with a dominant share of its coupling, or at least this
    # share if that is `fragment_lead` times the runner-up's: it cannot stand alone, and a
    # clear plurality says more than the kernel would (scoring helpers beside a scoreboard).
    fragment_share: float = 0.25
    fragment_lead: float = 1.5
    # A module used by at least this many contexts, that leans on none of them, is
    # shared kernel rather than one context's code.
    kernel_users: int = 3
    # ... unless one context accounts for at least this share of its users' weight.
    kernel_owner_share: float = 0.6
    # A context without data or an app declaration that at least this share of the other
    # contexts depend on is platform code (framework glue, i18n, task-queue setup) ...
    platform_users: float = 0.5
    # ... judged only among at least this many contexts: "most of the others" must be many.
    platform_contexts: int = 8
    # ... and only where at least this share of the contexts own tables: in code without
    # an ORM (raw SQL, other stores) no context owns data, and the core domains would go.
    platform_data_share: float = 0.5
    # A context named after a library its code imports is that library's adapter, and
    # platform code when at least `kernel_users` contexts and this share of them use it:
    # an integration that one or two contexts call (a payment gateway) is theirs.
    adapter_users: float = 0.1


DEFAULT = Heuristics()
