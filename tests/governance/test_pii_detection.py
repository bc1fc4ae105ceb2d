"""PII detection on Presidio, offline: what is found and what must survive."""

from __future__ import annotations

import logging

import pytest

from riskdesk.governance.pii.analyzer import analyze
from riskdesk.governance.pii.patterns import NordicIdRecognizer


def _found(text: str, known: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    return {(f.entity_type, text[f.start:f.end]) for f in analyze(text, known_people=known)}


@pytest.mark.parametrize("phone", [
    "+47 912 34 567", "+46 70 123 45 67", "+45 20 12 34 56", "+358 40 123 4567",
    "+44 7700 900123", "+1 713 555 0199", "+234 803 123 4567", "+91 98765 43210",
    "+55 21 98765-4321", "0047 51 99 00 00",
])
def test_that_international_phone_numbers_are_found(phone: str) -> None:
    text = f"Reach the site rep on {phone} after the shift."
    assert ("PHONE_NUMBER", phone) in _found(text)


def test_that_contact_details_and_payment_data_are_found() -> None:
    text = ("Send it to ngozi.okafor@seplat-contractor.com.ng, card 4111 1111 1111 1111, "
            "IBAN NO93 8601 1117 947, VPN host 10.20.30.40 or 2001:db8:85a3::8a2e:370:7334.")
    found = _found(text)
    assert ("EMAIL_ADDRESS", "ngozi.okafor@seplat-contractor.com.ng") in found
    assert ("CREDIT_CARD", "4111 1111 1111 1111") in found
    assert ("IBAN_CODE", "NO93 8601 1117 947") in found
    assert ("IP_ADDRESS", "10.20.30.40") in found
    assert ("IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334") in found


def test_that_a_card_number_failing_luhn_is_not_a_card() -> None:
    assert not any(t == "CREDIT_CARD" for t, _ in _found("Ref 4111 1111 1111 1112 on file."))


def test_that_domain_identifiers_are_left_alone() -> None:
    text = ("Johan Sverdrup Phase 3 and the Edvard Grieg field: 15/9-F-12 and 6507/7-A-1 H under "
            "AFE-2027-0042, API 42-501-20130-03-00, cost code CC-4410-220, WBS 1.2.3.4, PL001. "
            "P10/P50/P90 of NOK 48 500 000 and USD 12.5m in Q3 2027, due 2027-03-15 or "
            "15.03.2027; Aker BP and Odfjell Drilling agree; 45 000 bbl/d at 210 bar.")
    assert _found(text) == set()


def test_that_amounts_are_not_taken_for_national_phone_numbers() -> None:
    assert _found("Exposure NOK 48 500 000 if the jacket slips.") == set()
    assert ("PHONE_NUMBER", "48 50 00 00") in _found("Call her on tel 48 50 00 00 today.")


def test_that_workspace_people_are_found_by_full_name_surname_and_user_name() -> None:
    known = ("Kari Nordmann", "lars.eide")
    text = "KARI  NORDMANN agreed; Nordmann will brief lars.eide tomorrow."
    found = _found(text, known)
    assert ("PERSON", "KARI  NORDMANN") in found
    assert ("PERSON", "Nordmann") in found
    assert ("PERSON", "lars.eide") in found


@pytest.mark.parametrize("text,name", [
    ("Landowner Tormod Vassbotn objects to the route.", "Tormod Vassbotn"),  # neither listed
    ("Ngozi Adeyemi confirmed the barge is late.", "Ngozi Adeyemi"),
    ("Spoke to Mr Okwuosa about the access road.", "Okwuosa"),
    ("Zhang Wei said the module is ready.", "Zhang Wei"),
    ("Pieter van der Linden will check the drawings.", "Pieter van der Linden"),
    ("Mohammed Al-Shammari's team found the leak.", "Mohammed Al-Shammari"),
    ("Per Sigríður Jónsdóttir the survey is done.", "Sigríður Jónsdóttir"),
])
def test_that_unknown_people_are_found_from_gazetteers_shapes_and_cues(text: str,
                                                                       name: str) -> None:
    # "Per" is also a Norwegian given name, so covering a little more than the name is fine
    a = text.index(name)
    assert any(f.entity_type == "PERSON" and f.start <= a and a + len(name) <= f.end
               for f in analyze(text))


def test_that_capitalised_domain_words_are_not_people() -> None:
    text = ("Gas Export Pipeline and Main Power Generator delayed; the Norwegian Offshore "
            "Directorate and Health and Safety Executive were told in Port Harcourt.")
    assert _found(text) == set()


def test_that_norwegian_national_ids_need_valid_check_digits() -> None:
    assert NordicIdRecognizer.valid_fnr("01010750160")
    assert not NordicIdRecognizer.valid_fnr("01010750161")
    assert ("NO_FODSELSNUMMER", "010107 50160") in _found("Fnr 010107 50160 on the form.")


def test_that_no_spacy_model_is_needed() -> None:
    import spacy.util

    assert not spacy.util.is_package("en_core_web_lg")
    assert _found("Call Ingrid Solheim on +47 912 34 567.")


def test_that_detection_logs_never_contain_the_text(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_bits = ("Vassbotn", "912 34 567", "tormod@vassbotn.no")
    analyze("Landowner Tormod Vassbotn, tormod@vassbotn.no, tel 912 34 567.",
            known_people=("Kari Nordmann",))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(b in logged for b in secret_bits)


def test_that_names_typed_in_lower_case_are_found() -> None:
    text = "Discussed with ahmed al-rashid and john smith at the Stavanger workshop."
    assert {("PERSON", "ahmed al-rashid"), ("PERSON", "john smith")} <= _found(text)


def test_that_lower_case_fields_and_english_words_are_not_people() -> None:
    for text in ("the rig will move to the north field in q3", "grant approval now",
                 "johan sverdrup power from shore", "gina krog field late life",
                 "mark price changes in the deck", "ivar aasen platform"):
        assert not {e for e in _found(text) if e[0] == "PERSON"}, text


def test_that_a_given_name_alone_in_brackets_is_a_person() -> None:
    text = "Ring 22 33 44 55 (Kari) if the permit is late; fuel (Brent) and (Table 3) unchanged."
    people = {v for t, v in _found(text) if t == "PERSON"}
    assert people == {"Kari"}


@pytest.mark.parametrize("text, number", [
    ("Got a voicemail from Kari Nordmann at 0412 345 678 about the access road.", "0412 345 678"),
    ("Spoke to Kari Nordmann on 07700 900123 yesterday.", "07700 900123"),
    ("Kari Nordmann: 0412 345 678, evenings only.", "0412 345 678"),
])
def test_that_a_national_number_right_after_a_person_is_their_phone(text: str,
                                                                     number: str) -> None:
    assert ("PHONE_NUMBER", number) in _found(text, ("Kari Nordmann",))


@pytest.mark.parametrize("text", [
    "Sent the logs to kari@example.com and ola@example.org on 18.05.2027.",
    "Kari Nordmann at 2400 m found gas on 12.03.2027.",
    "Kari Nordmann on 05/02/2026 approved AFE-2027-0412.",
])
def test_that_dates_and_depths_after_a_person_are_not_phone_numbers(text: str) -> None:
    assert not any(t == "PHONE_NUMBER" for t, _ in _found(text, ("Kari Nordmann",)))


@pytest.mark.parametrize("text", [
    "The Rogaland County Council letter arrived on 2 May.",
    "Nigerian Upstream Petroleum Regulatory Commission feedback is due in Q3.",
    "Ask the Environmental Protection Agency about the flare permit.",
    "Stavanger Municipality wants the noise report.",
])
def test_that_capitalised_words_naming_a_public_body_are_not_people(text: str) -> None:
    assert not any(t == "PERSON" for t, _ in _found(text))


def test_that_a_number_in_a_bracket_with_a_role_after_a_name_is_their_phone() -> None:
    text = "Kari Nordmann (landowner, 0412 345 678) refuses access until the survey is redone."
    found = _found(text, ("Kari Nordmann",))
    assert ("PHONE_NUMBER", "0412 345 678") in found and ("PERSON", "Kari Nordmann") in found


def test_that_a_person_named_before_a_public_body_is_still_a_person() -> None:
    found = _found("Kari Nordmann from the Rogaland County Council phoned.", ("Kari Nordmann",))
    assert ("PERSON", "Kari Nordmann") in found
