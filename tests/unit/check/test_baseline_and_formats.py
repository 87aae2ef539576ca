"""The ratchet, and the result for people and machines."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decompose.check.baseline import parse_baseline, ratchet, render_baseline
from decompose.check.formats import CheckResult, render_check
from decompose.errors import BaselineError
from decompose.model import Rule, Severity, Violation


def violation(key: str, line: int = 1, severity: Severity = Severity.ERROR) -> Violation:
    return Violation(
        rule=Rule.INTERNAL_USE, severity=severity, key=key, services=("a", "b"),
        path="a/x.py", line=line, module="a.x", message=f"uses {key}", hint="use b's API",
    )  # fmt: skip


def test_a_check_fails_only_on_violations_the_baseline_does_not_accept() -> None:
    accepted = parse_baseline(render_baseline([violation("k1"), violation("k2")]), "b.json")
    r = ratchet([violation("k1", line=40), violation("k3")], accepted)
    assert [v.key for v in r.new] == ["k3"]
    assert [v.key for v in r.known] == ["k1"]  # moved 39 lines down: still the same one
    assert r.fixed == ("k2",)


def test_a_second_use_of_the_same_key_is_new() -> None:
    accepted = parse_baseline(render_baseline([violation("k1")]), "b.json")
    r = ratchet([violation("k1", 3), violation("k1", 9)], accepted)
    assert len(r.known) == 1 and len(r.new) == 1


@given(st.lists(st.sampled_from(["k1", "k2", "k3", "k|é"]), max_size=12))
def test_a_written_baseline_accepts_exactly_what_it_was_written_from(keys: list[str]) -> None:
    found = [violation(k, line=i) for i, k in enumerate(keys)]
    text = render_baseline(found)
    assert text == render_baseline(reversed(found))  # stable, sorted
    r = ratchet(found, parse_baseline(text, "b.json"))
    assert not r.new and not r.fixed and len(r.known) == len(found)


@pytest.mark.parametrize("text", ["{", "[]", '{"version": 9, "violations": []}'])
def test_a_baseline_that_is_none_is_an_error(text: str) -> None:
    with pytest.raises(BaselineError, match="not a decompose baseline"):
        parse_baseline(text, "b.json")


def result() -> CheckResult:
    r = ratchet([violation("k1"), violation("k2:50%,x", severity=Severity.WARNING)], {"k1": 1})
    return CheckResult("shop", r, unassigned=("shop.new",), baseline="b.json")


def test_sarif_output_is_a_valid_sarif_2_1_0_log() -> None:
    sarif_pydantic = pytest.importorskip("sarif_pydantic")
    data = json.loads(render_check(result(), "sarif"))
    log = sarif_pydantic.Sarif.model_validate(data)
    assert log.version == "2.1.0"
    states = {
        r["partialFingerprints"]["decompose/v1"]: r["baselineState"]
        for r in data["runs"][0]["results"]
    }
    assert states == {"k1": "unchanged", "k2:50%,x": "new"}


def test_github_annotations_are_escaped() -> None:
    text = render_check(result(), "github")
    first = text.splitlines()[0]
    assert first.startswith("::warning file=a/x.py,line=1,title=internal_use::uses k2:50%25,x")


def test_text_says_what_is_new_fixed_and_left() -> None:
    text = render_check(result(), "text")
    assert "a/x.py:1: warning [internal_use] uses k2:50%,x" in text
    assert "in no service: shop.new" in text
    summary = "2 violations: 1 new (0 errors); 1 in the baseline, 0 fixed since it"
    assert text.rstrip().endswith(f"{summary}; 1 module in no service")
    assert not result().failed  # a new warning does not fail
