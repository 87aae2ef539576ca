"""The report fixtures: a small shop monolith split into four services, and generated ones."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from decompose.model.decomposition import (
    Decomposition,
    Finding,
    Service,
    ServiceDependency,
    ServiceMetrics,
)
from decompose.report.json_report import load_decomposition

FIXTURE = Path(__file__).parents[2] / "fixtures" / "report" / "decomposition.json"


@pytest.fixture
def decomposition() -> Decomposition:
    return load_decomposition(FIXTURE.read_text(encoding="utf-8"), source=str(FIXTURE))


@pytest.fixture
def empty_decomposition(decomposition: Decomposition) -> Decomposition:
    """No services, findings, metrics or skipped files: every report's empty states."""
    return decomposition.model_copy(
        update={
            "modules": (),
            "dependencies": (),
            "services": (),
            "shared": (),
            "metrics": {},
            "findings": (),
            "migration_order": (),
            "skipped_files": (),
        }
    )


# Service names as clustering tends to produce them: short words, some long ones, numbered
# siblings, and the last one too long to draw whole (always used).
# fmt: off
NAMES = (
    "accounts", "api", "audit", "auth", "banktransfer", "billing", "cart", "catalog",
    "checkinlists", "checkout", "control", "coupons", "currency", "exports", "feeds",
    "forms", "gateway", "geo", "helpers", "i18n", "imports", "internal_2", "internal_3",
    "inventory", "invoices", "locale", "logging", "loyalty", "mailer", "maps", "media",
    "metrics", "multidomain", "notifications", "oauth", "orders", "pages", "payments",
    "permissions", "plugins", "pricing", "ratings", "recommendations", "refunds", "reports",
    "returns", "reviews", "roles", "scheduler", "search", "sessions", "settings",
    "shipping", "sso", "statistics", "storage", "subscriptions", "surveys", "taxes",
    "teams", "ticketoutputpdf", "tracking", "users", "vendor_2", "vendor_5", "vouchers",
    "webhooks", "notification_preferences_and_delivery_channels",
)
# fmt: on


def generate_services(count: int, seed: int) -> tuple[Service, ...]:
    """`count` services with skewed sizes and weights, a few of them without dependencies."""
    rng = random.Random(seed)
    names = sorted([*rng.sample(NAMES[:-1], count - 1), NAMES[-1]])
    lonely = set(names[8::9])  # every ninth service has no edges: the layout packs these apart
    services = []
    for name in names:
        loc = int(40 * rng.paretovariate(1.0))
        links = [
            ServiceDependency(service=other, weight=round(rng.paretovariate(1.2), 2))
            for other in names
            if other != name and not {name, other} & lonely and rng.random() < min(0.6, 2.5 / count)
        ]
        modules = tuple(f"{name}.m{i}" for i in range(rng.randint(1, 40)))
        metrics = ServiceMetrics(
            modules=len(modules),
            loc=loc,
            cohesion=0.5,
            coupling=0.5,
            afferent=0,
            efferent=len(links),
            instability=0.5,
        )
        services.append(
            Service(name=name, modules=modules, loc=loc, depends_on=tuple(links), metrics=metrics)
        )
    return tuple(services)


@pytest.fixture
def generated(decomposition: Decomposition) -> Callable[[int, int], Decomposition]:
    """A maker of decompositions with `count` generated services (see `generate_services`)."""

    def make(count: int, seed: int) -> Decomposition:
        services = generate_services(count, seed)
        worst = Finding(
            kind="service_cycle",
            severity="high",
            services=tuple(s.name for s in services[::3]),
            detail="A generated cycle.",
        )
        return decomposition.model_copy(
            update={
                "modules": (),
                "dependencies": (),
                "services": services,
                "shared": (),
                "findings": (worst,),
                "migration_order": (),
            }
        )

    return make
