"""Excalibur .dtt/.rls import and export on the ten TU Delft cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.io.excalibur import load_case, write_case

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"
# case: (experts, seed items, target items, levels %, LOG items) from the data README
CASES = {
    "tobacco": (7, 10, 11, [5, 25, 50, 75, 95], 0),
    "Arkansas": (4, 10, 20, [5, 25, 50, 75, 95], 0),
    "CoveringKids": (5, 10, 12, [5, 25, 50, 75, 95], 0),
    "Daniela": (4, 7, 10, [5, 50, 95], 0),
    "Goodheart": (6, 10, 22, [5, 50, 95], 0),
    "liander": (11, 10, 8, [5, 50, 95], 2),
    "puig-oil": (8, 20, 0, [5, 50, 95], 0),
    "eBBP": (14, 15, 39, [5, 50, 95], 11),
    "Hemophilia": (18, 8, 15, [10, 50, 90], 22),
    "Topaz": (21, 16, 33, [5, 50, 95], 3),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_that_every_reference_case_imports_with_its_published_shape(case):
    n_exp, n_seed, n_target, levels, n_log = CASES[case]
    c = load_case(DATA / f"{case}.dtt", DATA / f"{case}.rls")
    assert len(c.experts) == n_exp
    assert len(c.seed_items) == n_seed
    assert len(c.target_items) == n_target
    assert list(np.round(c.levels * 100)) == levels
    assert sum(s == "LOG" for s in c.scales) == n_log
    answered = ~np.isnan(c.values)
    assert answered.any(axis=(1, 2)).all()  # every expert answered something
    assert np.all(np.diff(c.values, axis=2)[answered[:, :, 1:]] > 0)  # quantiles increase


def test_that_item_ids_with_spaces_and_first_values_are_read():
    c = load_case(DATA / "Arkansas.dtt", DATA / "Arkansas.rls")
    assert c.items[0] == "ARKidsA Enroll"
    np.testing.assert_allclose(c.values[0, 0], [70.84, 94.45, 118.06, 141.68, 177.1])
    t = load_case(DATA / "tobacco.dtt", DATA / "tobacco.rls")
    assert t.items[0] == "$TAdProm2005" and t.realisations[0] == 13.11
    assert t.descriptions[0].startswith("amount (billion $) spent")


def test_that_missing_answers_are_unanswered_items():
    c = load_case(DATA / "Hemophilia.dtt", DATA / "Hemophilia.rls")
    first = c.experts.index("1")
    assert np.isnan(c.values[first, 0]).all()  # -999.5 in every field
    d = load_case(DATA / "Daniela.dtt", DATA / "Daniela.rls")
    assert np.isnan(d.values[:, :, 0]).sum() == 1


def test_that_8_bit_question_texts_are_decoded():
    c = load_case(DATA / "puig-oil.dtt", DATA / "puig-oil.rls")
    assert all(isinstance(t, str) for t in c.descriptions)
    assert any(ch in "".join(c.descriptions) for ch in "áéíóúñ")


@pytest.mark.parametrize("case", ["tobacco", "Hemophilia", "liander"])
def test_that_an_exported_case_reads_back_identically(case, tmp_path):
    c = load_case(DATA / f"{case}.dtt", DATA / f"{case}.rls")
    write_case(c, tmp_path / "x.dtt", tmp_path / "x.rls")
    back = load_case(tmp_path / "x.dtt", tmp_path / "x.rls")
    assert back.experts == c.experts
    assert back.items == c.items
    assert back.scales == c.scales
    np.testing.assert_allclose(back.values, c.values, rtol=1e-5, equal_nan=True)
    np.testing.assert_allclose(back.realisations, c.realisations, rtol=1e-5, equal_nan=True)
    np.testing.assert_array_equal(back.levels, c.levels)


def test_that_crlf_line_endings_are_accepted(tmp_path):
    for ext in ("dtt", "rls"):
        text = (DATA / f"tobacco.{ext}").read_bytes().replace(b"\n", b"\r\n")
        (tmp_path / f"t.{ext}").write_bytes(text)
    c = load_case(tmp_path / "t.dtt", tmp_path / "t.rls")
    assert len(c.experts) == 7 and len(c.items) == 21


def test_that_a_malformed_line_is_reported_with_file_and_line(tmp_path):
    lines = (DATA / "tobacco.dtt").read_text("latin-1").splitlines()
    lines[4] = lines[4].replace(" UNI ", " XXX ")
    (tmp_path / "bad.dtt").write_text("\n".join(lines), "latin-1")
    with pytest.raises(ValidationError, match=r"bad\.dtt:5: no scale keyword"):
        load_case(tmp_path / "bad.dtt", DATA / "tobacco.rls")


def test_that_a_bad_number_and_a_bad_header_are_reported(tmp_path):
    lines = (DATA / "tobacco.dtt").read_text("latin-1").splitlines()
    lines[2] = lines[2].replace("2.00000E+0000", "2.0000O+0000", 1)
    (tmp_path / "bad.dtt").write_text("\n".join(lines), "latin-1")
    with pytest.raises(ValidationError, match=r"bad\.dtt:3: '2\.0000O\+0000' is not a number"):
        load_case(tmp_path / "bad.dtt", DATA / "tobacco.rls")
    (tmp_path / "nohead.dtt").write_text("\n".join(lines[1:]), "latin-1")
    with pytest.raises(ValidationError, match="not an Excalibur header"):
        load_case(tmp_path / "nohead.dtt", DATA / "tobacco.rls")


def test_that_items_missing_from_the_realisations_file_are_reported(tmp_path):
    lines = (DATA / "tobacco.rls").read_text("latin-1").splitlines()
    (tmp_path / "short.rls").write_text("\n".join(lines[:-1]), "latin-1")
    with pytest.raises(ValidationError, match=r"short\.rls: items \[21\] of tobacco\.dtt"):
        load_case(DATA / "tobacco.dtt", tmp_path / "short.rls")


def test_that_long_expert_and_item_ids_are_written_as_codes_that_read_back(tmp_path):
    from dataclasses import replace

    c = load_case(DATA / "Daniela.dtt", DATA / "Daniela.rls")
    long = replace(c, experts=("Ingrid Halvorsen", "Tunde Adebayo", "C", "D"),
                   items=tuple(f"a very long question id {k}" for k in range(len(c.items))))
    write_case(long, tmp_path / "x.dtt", tmp_path / "x.rls")
    back = load_case(tmp_path / "x.dtt", tmp_path / "x.rls")
    assert back.experts == ("Ex1", "Ex2", "Ex3", "Ex4")
    assert back.items[0] == "Q1"
    assert back.descriptions[0].startswith("[a very long question id 0]")
    np.testing.assert_allclose(back.values, c.values, rtol=1e-5, equal_nan=True)
    with pytest.raises(ValidationError, match="whole-percent quantile levels"):
        write_case(replace(c, levels=np.array([0.025, 0.5, 0.975])), tmp_path / "y.dtt",
                   tmp_path / "y.rls")
