"""The versioned PII policy: parsing, actions, tokens and the secret outside the workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.governance.pii.findings import Finding
from riskdesk.governance.policy import (
    apply_policy,
    load_policy,
    make_token,
    policy_from_dict,
    token_secret,
)

TEXT = "Ring Kari Nordmann on +47 912 34 567."
FINDINGS = [Finding("PERSON", 5, 18, 0.95), Finding("PHONE_NUMBER", 22, 36, 0.9)]


def test_that_the_shipped_policy_has_a_version_and_a_stable_hash() -> None:
    p = load_policy()
    assert p.version and p.rule("PERSON").action == "tokenize"
    assert p.content_hash == load_policy().content_hash
    assert p.rule("SOMETHING_NEW") == p.default


def test_that_a_bad_policy_names_each_bad_field(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("schema: riskdesk.pii-policy/1\nentities:\n  PERSON: {action: shred, "
                 "threshold: 2}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_policy(f)
    wheres = {p.where for p in err.value.problems}
    assert {"p.yaml:version", "p.yaml:entities.PERSON.action",
            "p.yaml:entities.PERSON.threshold"} <= wheres


def test_that_actions_redact_mask_tokenize_and_pass_rewrite_as_documented() -> None:
    base = load_policy().to_dict()
    for action, expect in (("redact", "Ring [PERSON] on"), ("pass", "Ring Kari Nordmann on")):
        base["entities"]["PERSON"] = {"action": action, "threshold": 0.5}
        new, dets = apply_policy(TEXT, FINDINGS, policy_from_dict(base), b"k" * 32, "f")
        assert new.startswith(expect)
        assert dets[0].action == action and (dets[0].start, dets[0].end) == (5, 18)
    base["entities"]["PERSON"] = {"action": "tokenize", "threshold": 0.5}
    new, dets = apply_policy(TEXT, FINDINGS, policy_from_dict(base), b"k" * 32, "f")
    assert "Kari" not in new and make_token("PERSON", "Kari Nordmann", b"k" * 32) in new
    assert new.endswith("+** *** ** *67.")  # mask keeps separators and the last two digits
    assert all(d.policy_version == base["version"] and d.field == "f" for d in dets)


def test_that_findings_below_the_threshold_are_left_alone() -> None:
    base = load_policy().to_dict()
    base["entities"]["PERSON"]["threshold"] = 0.99
    new, dets = apply_policy(TEXT, FINDINGS, policy_from_dict(base), b"k" * 32)
    assert "Kari Nordmann" in new and [d.entity_type for d in dets] == ["PHONE_NUMBER"]


def test_that_tokens_are_deterministic_per_secret_and_differ_across_secrets() -> None:
    a, b = b"a" * 32, b"b" * 32
    assert make_token("PERSON", "Kari Nordmann", a) == make_token("PERSON", "KARI  nordmann", a)
    assert make_token("PERSON", "Kari Nordmann", a) != make_token("PERSON", "Kari Nordmann", b)
    assert make_token("PERSON", "Kari Nordmann", a) != make_token("PERSON", "Ola Nordmann", a)
    assert make_token("PHONE_NUMBER", "+47 912 34 567", a) == \
        make_token("PHONE_NUMBER", "+4791234567", a)


def test_that_the_token_secret_lives_in_the_config_dir_and_is_created_once() -> None:
    s1 = token_secret()
    path = Path(os.environ["RISKDESK_CONFIG_DIR"]) / "pii-token.key"
    assert path.exists() and (path.stat().st_mode & 0o077) == 0
    assert token_secret() == s1 and len(s1) == 32
