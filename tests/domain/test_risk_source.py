"""A risk's ``source`` tells a reviewer where its numbers came from, and stops claiming so once a
person types over them."""

from __future__ import annotations

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.risk import HAND_EDIT, Risk, edited_source

SRC = "elicitation:session 1/T2 result 4 cooke-global alpha=0.05 pert"
BEFORE = Risk("WA-001", "Blockades", probability=0.27, source=SRC,
              impact=Distribution("pert", {"min": -7000.0, "mode": -2500.0, "max": -1000.0}))


def test_that_editing_words_keeps_the_source() -> None:
    after = BEFORE.with_(title="Road blockades", owner="Someone else", mitigation="Talk")
    assert edited_source(BEFORE, after) == SRC


def test_that_typing_over_a_sourced_number_marks_the_source_as_a_hand_edit() -> None:
    for after in (BEFORE.with_(probability=0.3),
                  BEFORE.with_(impact=Distribution("fixed", {"value": -2000.0})),
                  BEFORE.with_(post_probability=0.1)):
        assert edited_source(BEFORE, after) == HAND_EDIT + SRC


def test_that_a_hand_edit_is_not_marked_twice_and_no_source_stays_empty() -> None:
    once = BEFORE.with_(probability=0.3, source=HAND_EDIT + SRC)
    assert edited_source(once, once.with_(probability=0.4)) == HAND_EDIT + SRC
    plain = BEFORE.with_(source="")
    assert edited_source(plain, plain.with_(probability=0.4)) == ""
