"""The riskdesk.registry/1 document: read with located problems, written losslessly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.io.registry_json import dump_registry_json, load_registry_json
from riskdesk.services.demo import demo_registry

DOC = {
    "schema": "riskdesk.registry/1", "name": "T", "units": "kUSD", "months": 12,
    "simulation": {"iterations": 1000, "seed": 1},
    "risks": [
        {"id": "R001", "probability": 0.35,
         "impact": {"dist": "triangular", "min": -900.0, "mode": -400.0, "max": -250.0},
         "phasing": {"type": "window", "start": 2, "length": 3}},
        {"id": "R002", "probability": 0.5, "affects": "capex",
         "impact": {"dist": "lognormal", "mean": 100, "sd": 30, "sign": -1},
         "phasing": {"type": "profile", "months": [3, 4], "weights": [1, 3]}},
    ],
    "correlation": {"method": "iman-conover", "apply_to": "compound",
                    "blocks": [{"name": "B01", "risks": ["R001", "R002"], "rho": 0.5}],
                    "between": 0.1},
}


def test_that_the_shared_format_example_is_read(tmp_path: Path) -> None:
    p = tmp_path / "r.json"
    p.write_text(json.dumps(DOC))
    reg = load_registry_json(p)
    assert reg.ids == ["R001", "R002"] and reg.iterations == 1000
    assert reg.risk("R002").affects == "capex"
    assert reg.risk("R002").impact.mean() == -100
    assert reg.correlation.full_matrix(reg.ids)[0, 1] == 0.5


def test_that_a_registry_round_trips_through_json(tmp_path: Path) -> None:
    reg = demo_registry()
    back = load_registry_json(dump_registry_json(reg, tmp_path / "d.json"))
    assert back.content_hash() == reg.content_hash()


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["risks"][1].update(probability=1.5), "risks[1] (R002.probability)"),
    (lambda d: d["risks"][0]["impact"].update(mode=-1000), "risks[0] (R001.impact.mode)"),
    (lambda d: d["risks"][0].pop("id"), "risks[0].id"),
    (lambda d: d.update(months=0), "months"),
    (lambda d: d["risks"][1]["impact"].update(sd=-1), "risks[1] (R002.impact.sd)"),
    (lambda d: d["correlation"]["blocks"][0].update(rho=1.5), "correlation"),
])
def test_that_problems_name_the_json_path(tmp_path: Path, mutate, where: str) -> None:
    d = json.loads(json.dumps(DOC))
    mutate(d)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(d))
    with pytest.raises(ValidationError) as ei:
        load_registry_json(p)
    assert any(where in str(x) for x in ei.value.problems), ei.value.problems


def test_that_broken_json_names_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "broken.json"
    p.write_text('{"months": 12,\n "risks": [}')
    with pytest.raises(ValidationError, match=r"broken.json:2:\d+: invalid JSON"):
        load_registry_json(p)
