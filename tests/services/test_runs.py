"""Run records: store, list, verify bit for bit, compare with a common-random-numbers waterfall."""

import numpy as np
import pytest

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import ValidationError
from riskdesk.services.registry import RegistryService
from riskdesk.services.runs import RunsService


def test_that_a_completed_run_is_stored_with_its_manifest_and_results(workspace):
    runs = RunsService(workspace)
    info = runs.run(runs.request(iterations=4096, seed=5))
    assert [r.id for r in runs.list()] == [info.id]
    stored = runs.load(info.id)
    assert stored.info.registry_version == 1 and stored.info.baseline_version == 1
    assert stored.document["schema"] == "riskdesk.result/1"
    assert stored.manifest["input_hash"] == RegistryService(workspace).version(1).content_hash()
    assert stored.totals["ebitda"].shape == (4096,)
    assert stored.document["results"]["total"]["p50"] == pytest.approx(
        float(np.percentile(stored.totals["ebitda"], 50)))
    assert "absolute" in stored.document  # a baseline was used


def test_that_verify_reproduces_a_run_bit_for_bit_on_another_thread_count(workspace):
    runs = RunsService(workspace)
    info = runs.run(runs.request(iterations=3000, seed=9, threads=2, chunk_size=1024))
    report = runs.verify(info.id, threads=1, chunk_size=5000)
    assert report.identical and report.max_abs_difference == 0.0 and report.threads == 1


def test_that_a_cancelled_run_stores_nothing(workspace):
    runs = RunsService(workspace)
    gen = runs.start(runs.request(iterations=50_000, chunk_size=4096))
    next(gen)
    gen.close()
    assert runs.list() == []


def test_that_bad_requests_name_the_problem_and_store_nothing(workspace):
    runs = RunsService(workspace)
    with pytest.raises(ValidationError) as err:
        runs.request(version=7)
    assert "version 7 does not exist" in str(err.value)
    with pytest.raises(ValidationError) as err:
        runs.run(runs.request(iterations=0))
    assert err.value.problems[0].where == "settings.iterations"
    assert runs.list() == []


def test_that_compare_explains_what_moved_p50_and_p90(workspace):
    regs = RegistryService(workspace)
    runs = RunsService(workspace)
    a = runs.run(runs.request(iterations=4096, seed=1, use_baseline=False))
    first = regs.draft().risks[0]
    regs.upsert_risk(first.with_(probability=1.0, impact=Distribution.from_dict(
        {"dist": "fixed", "value": -5000.0})))
    regs.freeze("bigger first risk")
    b = runs.run(runs.request(iterations=4096, seed=1, use_baseline=False))
    cmp = runs.compare(a.id, b.id)
    p50a, p50b = cmp.side_by_side["results"]["p50"]
    assert p50b < p50a
    steps = cmp.waterfall
    assert steps[0]["step"] == "run A" and steps[0]["p50"] == pytest.approx(p50a)
    assert steps[1]["step"] == f"changed {first.id}"
    assert sum(s["d_p50"] for s in steps[1:]) == pytest.approx(p50b - p50a)
    assert steps[-1]["p90"] == pytest.approx(cmp.side_by_side["results"]["p90"][1])


def test_that_a_run_records_its_price_deck_for_lineage_without_changing_results(workspace):
    from riskdesk.services import lineage
    from riskdesk.services.decks import DeckService

    decks = DeckService(workspace)
    name = decks.names()[0]
    v = decks.version_info(name)
    runs = RunsService(workspace)
    info = runs.run(runs.request(iterations=2048, seed=4, deck_name=name))
    plain = runs.run(runs.request(iterations=2048, seed=4))
    stored = runs.load(info.id)
    assert stored.manifest["price_deck"] == {"name": name, "version": v.number, "hash": v.hash,
                                             "stage": v.stage}
    assert "price_deck" not in runs.load(plain.id).manifest
    assert np.array_equal(stored.totals["ebitda"], runs.load(plain.id).totals["ebitda"])
    assert runs.verify(info.id).identical
    refs = [r for r in lineage.run_lineage(workspace, info.id).inputs if r.kind == "deck"]
    assert [(r.name, r.number, r.hash, r.stage) for r in refs] == [
        (name, v.number, v.hash, v.stage)]
    with pytest.raises(ValidationError, match="no deck named"):
        runs.request(iterations=10, deck_name="no such deck")
