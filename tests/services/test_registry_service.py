"""Registry use cases: drafts, frozen versions with stable hashes, stage gates."""

from __future__ import annotations

import pytest

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Registry
from riskdesk.domain.risk import Phasing, Risk
from riskdesk.services.registry import RegistryService

# Fixed content → fixed hash, on any machine and run (canonical JSON + SHA-256).
GOLDEN = Registry(name="Golden", units="kUSD", months=12, start="2027-01", risks=(
    Risk("R1", "Pump failure", probability=0.25,
         impact=Distribution("pert", {"min": -300.0, "mode": -120.0, "max": -50.0}),
         phasing=Phasing.window(2, 3)),
    Risk("R2", "Price upside", probability=0.5,
         impact=Distribution("uniform", {"min": 10.0, "max": 90.5}), affects="revenue"),
))
GOLDEN_HASH = "sha256:68cb0e6eccac31ebf4b7ff6d1c3887bc1fbc3b07b446555ff0cb9789b645ddbb"


def test_that_the_content_hash_is_stable_across_runs_and_machines() -> None:
    import hashlib
    import subprocess
    import sys

    h = GOLDEN.content_hash()
    code = ("from tests.services.test_registry_service import GOLDEN;"
            "print(GOLDEN.content_hash())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": "123", "PATH": ""},
                           cwd=__file__.rsplit("/tests/", 1)[0]).stdout.strip()
    assert other == h == GOLDEN_HASH
    # the hash is of the documented canonical form: sorted keys, no spaces
    from riskdesk.domain.registry import canonical_json

    text = canonical_json(GOLDEN.to_dict())
    assert text.startswith('{"months":12,"name":"Golden"')
    assert h == "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def test_that_freezing_writes_numbered_immutable_versions(workspace) -> None:
    svc = RegistryService(workspace)
    v1 = svc.versions()[-1]
    svc.upsert_risk(svc.risk("NS-003").with_(probability=0.9))
    v2 = svc.freeze("raised NS-003")
    assert v2.number == v1.number + 1 and v2.hash != v1.hash
    assert svc.version(v1.number).risk("NS-003").probability == 0.5
    assert svc.version(v2.number).risk("NS-003").probability == 0.9
    import sqlite3

    con = sqlite3.connect(workspace.path)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        con.execute("UPDATE registry_version SET content='{}' WHERE number=1")
    con.close()


def test_that_the_same_content_frozen_twice_has_the_same_hash(workspace) -> None:
    svc = RegistryService(workspace)
    a = svc.freeze("a")
    b = svc.freeze("b")
    assert a.hash == b.hash and a.number != b.number


def test_that_stages_move_in_order_with_recorded_approvals(workspace) -> None:
    svc = RegistryService(workspace)
    with pytest.raises(ValidationError, match="can move to: In review"):
        svc.promote(1, "approved")
    svc.promote(1, "in_review", "please check")
    svc.promote(1, "approved", "looks fine")
    assert svc.version_info(1).stage == "approved"
    hist = svc.history(1)
    assert [(h["from"], h["to"], h["comment"]) for h in hist] == [
        ("draft", "in_review", "please check"), ("in_review", "approved", "looks fine")]
    assert all(h["who"] for h in hist)
    svc.promote(1, "retired")
    with pytest.raises(ValidationError):
        svc.promote(1, "approved")


def test_that_approval_is_refused_listing_every_failing_gate(workspace) -> None:
    svc = RegistryService(workspace)
    bad = svc.risk("NS-001").with_(
        probability=1.4, impact=Distribution("pert", {"min": -100.0, "mode": -500.0,
                                                      "max": -50.0}))
    svc.upsert_risk(bad)
    svc.upsert_risk(svc.risk("NS-002").with_(phasing=Phasing.window(40, 2)))
    svc.set_pair_correlation("NS-003", "NS-004", 0.99)
    svc.set_pair_correlation("NS-003", "NS-008", 0.99)
    svc.set_pair_correlation("NS-004", "NS-008", -0.99)
    v = svc.freeze("broken")
    svc.promote(v.number, "in_review")
    with pytest.raises(ValidationError) as ei:
        svc.promote(v.number, "approved")
    text = str(ei.value)
    assert "NS-001.probability" in text and "outside 0-1" in text
    assert "NS-001.impact.mode" in text
    assert "NS-002.phasing.start" in text and "horizon" in text
    assert "positive semi-definite" in text
    assert svc.version_info(v.number).stage == "in_review"


def test_that_import_preview_reports_added_changed_removed(workspace) -> None:
    svc = RegistryService(workspace)
    reg = svc.draft()
    changed = reg.risks[0].with_(probability=0.11)
    new = Risk("NEW-1", "New", probability=0.2, impact=Distribution("fixed", {"value": -5.0}))
    incoming = reg.with_(risks=(changed, *reg.risks[2:], new))
    pv = svc.preview_import(incoming, replace=True)
    assert pv.added == ["NEW-1"] and pv.changed == [reg.risks[0].id]
    assert pv.removed == [reg.risks[1].id]
    assert len(svc.draft().risks) == len(reg.risks)  # preview wrote nothing
    svc.apply_import(incoming, replace=True)
    ids = svc.draft().ids
    assert "NEW-1" in ids and reg.risks[1].id not in ids
    assert svc.risk(reg.risks[0].id).probability == 0.11


def test_that_deleting_returns_what_undo_needs(workspace) -> None:
    svc = RegistryService(workspace)
    before = svc.draft().ids
    removed = svc.delete_risks(["NS-002"])
    assert removed[0][0] == 1 and removed[0][1].id == "NS-002"
    svc.upsert_risk(removed[0][1], position=removed[0][0])
    assert svc.draft().ids == before
