from __future__ import annotations

import json
from typing import Any

import pydantic_core
import pytest

from decompose.errors import ReportError
from decompose.model.decomposition import SCHEMA_VERSION, Decomposition
from decompose.report import json_report
from decompose.report.json_report import json_schema, load_decomposition, render_json


def test_render_json_matches_golden(decomposition: Decomposition, golden: Any) -> None:
    golden.check("report/decomposition.json", render_json(decomposition))


def test_render_json_round_trips(decomposition: Decomposition) -> None:
    text = render_json(decomposition)
    again = load_decomposition(text)
    assert again == decomposition
    assert render_json(again) == text


def test_render_json_holds_what_pydantic_dumps(decomposition: Decomposition) -> None:
    assert json.loads(render_json(decomposition)) == decomposition.model_dump(mode="json")


def test_render_json_is_deterministic(decomposition: Decomposition) -> None:
    assert render_json(decomposition) == render_json(decomposition.model_copy(deep=True))


def test_render_json_layout(decomposition: Decomposition) -> None:
    text = render_json(decomposition)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "schema_version": "1.1",\n  "tool": {')  # model order kept
    assert '  "root": "examples/shop",\n' in text  # indent=2


def test_dict_fields_are_sorted_whatever_their_insertion_order(
    decomposition: Decomposition,
) -> None:
    reversed_metrics = dict(sorted(decomposition.metrics.items(), reverse=True))
    shuffled = decomposition.model_copy(update={"metrics": reversed_metrics})
    assert render_json(shuffled) == render_json(decomposition)
    assert list(json.loads(render_json(shuffled))["metrics"]) == sorted(decomposition.metrics)


def test_non_ascii_text_is_kept_readable(decomposition: Decomposition) -> None:
    renamed = decomposition.model_copy(update={"root": "bücher\u2028shop"})
    text = render_json(renamed)
    assert '"root": "bücher\u2028shop"' in text
    assert load_decomposition(text).root == "bücher\u2028shop"


def test_nan_metric_is_refused(decomposition: Decomposition) -> None:
    broken = decomposition.model_copy(update={"metrics": {"mq": float("nan")}})
    with pytest.raises(ValueError):
        render_json(broken)


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_long_lists_written_in_runs_are_the_same_document(
    decomposition: Decomposition, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = pydantic_core.to_json(decomposition, indent=2, inf_nan_mode="constants")
    monkeypatch.setattr(json_report, "BATCH", batch)
    assert render_json(decomposition).encode() == whole + b"\n"


def test_nan_in_a_run_of_a_long_list_is_refused(
    decomposition: Decomposition, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = decomposition.services[0]
    broken_metrics = first.metrics.model_copy(update={"cohesion": float("nan")})
    broken = decomposition.model_copy(
        update={
            "services": (
                first.model_copy(update={"metrics": broken_metrics}),
                *decomposition.services[1:],
            )
        }
    )
    assert len(broken.services) > 1  # written in runs of one service
    monkeypatch.setattr(json_report, "BATCH", 1)
    with pytest.raises(ValueError, match="NaN"):
        render_json(broken)


def test_schema_matches_golden(golden: Any) -> None:
    golden.check("report/schema.json", json_schema())


def test_schema_describes_the_contract() -> None:
    schema = json.loads(json_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Decomposition"
    assert {"tool", "root", "settings", "modules", "dependencies", "services"} <= set(
        schema["required"]
    )
    assert schema["additionalProperties"] is False


def test_schema_validates_the_fixture(decomposition: Decomposition) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(json_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(json.loads(render_json(decomposition)))) == []
    bad = json.loads(render_json(decomposition))
    bad["services"][0]["surprise"] = 1
    del bad["root"]
    assert len(list(validator.iter_errors(bad))) == 2


def _fixture_data(decomposition: Decomposition) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_json(decomposition))
    return data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{not json",
            "the input is not valid JSON: "
            "Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ("[1, 2]", "the input is not a decomposition: expected a JSON object, found an array"),
        ('"text"', "the input is not a decomposition: expected a JSON object, found a string"),
        (
            '{"schema_version": 1}',
            'the input has schema_version 1; expected "MAJOR.MINOR"',
        ),
        (
            '{"schema_version": "2.0"}',
            "the input uses schema_version 2.0, newer than the 1.x this decompose reads",
        ),
    ],
)
def test_load_refuses_what_is_not_a_decomposition(text: str, message: str) -> None:
    with pytest.raises(ReportError) as caught:
        load_decomposition(text)
    assert caught.value.message == message
    assert caught.value.exit_code == 2


def test_a_newer_major_version_says_what_to_do() -> None:
    with pytest.raises(ReportError) as caught:
        load_decomposition('{"schema_version": "2.0"}')
    assert caught.value.hint == "upgrade decompose, or re-run `decompose analyze` with this version"


def test_load_names_every_schema_mismatch(decomposition: Decomposition) -> None:
    data = _fixture_data(decomposition)
    del data["root"]
    data["services"][1]["loc"] = "many"
    with pytest.raises(ReportError) as caught:
        load_decomposition(json.dumps(data), source="out/decomposition.json")
    assert caught.value.message == (
        "out/decomposition.json does not match the decomposition schema (2 error(s)): "
        "root: Field required; "
        "services.1.loc: Input should be a valid integer, unable to parse string as an integer"
    )


def test_load_lists_at_most_five_problems(decomposition: Decomposition) -> None:
    data = _fixture_data(decomposition)
    for module in data["modules"]:
        module["loc"] = "x"
    with pytest.raises(ReportError, match=r"\(13 error\(s\)\): .*; and 8 more \("):
        load_decomposition(json.dumps(data))


def test_load_explains_a_mismatch_from_a_newer_minor_version(decomposition: Decomposition) -> None:
    data = _fixture_data(decomposition)
    major = SCHEMA_VERSION.split(".")[0]
    data["schema_version"] = f"{major}.99"
    data["new_field"] = True
    with pytest.raises(ReportError, match=rf"perhaps because it uses the newer schema {major}\.99"):
        load_decomposition(json.dumps(data))


def test_load_accepts_an_older_minor_version(decomposition: Decomposition) -> None:
    data = _fixture_data(decomposition)
    data["schema_version"] = SCHEMA_VERSION.split(".")[0] + ".0"
    assert load_decomposition(json.dumps(data)).services == decomposition.services


def test_load_refuses_two_services_of_one_name(decomposition: Decomposition) -> None:
    data = _fixture_data(decomposition)
    first, second = data["services"][0]["name"], data["services"][1]["name"]
    data["services"][1]["name"] = first
    data["services"].append({**data["services"][2], "name": second})
    data["services"].append({**data["services"][2], "name": second})
    with pytest.raises(ReportError) as caught:
        load_decomposition(json.dumps(data))
    names = ", ".join(repr(n) for n in sorted([first, second]))
    assert caught.value.message == (
        "the input does not match the decomposition schema (1 error(s)): "
        f"services: Value error, service names {names} appear more than once"
    )


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, '{"a": ' * 100_000 + "1" + "}" * 100_000]
)
def test_load_refuses_json_nested_too_deeply(text: str) -> None:
    with pytest.raises(ReportError) as caught:
        load_decomposition(text, source="deep.json")
    assert caught.value.message == (
        "deep.json is nested too deeply to be a decomposition or a mapping"
    )
