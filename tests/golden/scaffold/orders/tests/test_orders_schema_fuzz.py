"""Schemathesis against the app in process: the service keeps its committed contract.

Requests generated from the contract, valid and invalid, go to the app (its lifespan
included) and every answer goes through all of schemathesis's checks: no server error but
a stub's declared 501; only declared status codes, content types, headers and schemas;
invalid requests refused, valid ones accepted; 405 with `Allow` for undeclared methods.
Derandomized and bounded, so every run sends the same requests; nothing leaves the process.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig

from orders_service.app import create_app

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "orders.v1.openapi.json"
#: Requests per operation in the fuzzing phase (valid and invalid data), on top of the
#: cases the coverage phase derives from the contract: boundary values, each required
#: input missing, each wrong type, undeclared methods.
MAX_EXAMPLES = 10
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 0,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            # A stub answers 501 until its logic is ported, as the contract declares.
            "not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "501"]},
        },
    }
)
schema = schemathesis.openapi.from_path(CONTRACT, config=CONFIG)
schema.app = create_app()


@schema.parametrize()
def test_app_keeps_its_contract(case: schemathesis.Case) -> None:
    case.call_and_validate()
