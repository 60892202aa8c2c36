"""The detectors find what escaped masking and leave look-alikes alone."""

import pytest

from apps.core import sensitive as detectors
from apps.privacy.scan.excerpt import excerpt


def kinds(text: str) -> list[str]:
    return [m.kind for m in detectors.find(text)]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Paid with 4111 1111 1111 1111 today", "card_number"),
        ("card 5500-0000-0000-0004", "card_number"),
        ("amex 378282246310005", "card_number"),
        ("Write to jane.doe+shop@example.co.uk please", "email"),
        ("Call +44 20 7946 0958 now", "phone"),
        ("Call (415) 555-0132", "phone"),
        ("SSN 123-45-6789", "us_ssn"),
        ("IBAN DE89 3704 0044 0532 0130 00", "iban"),
        ("GB82WEST12345698765432", "iban"),
        (
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            "jwt",
        ),
        ("key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "api_key"),
        ("AKIAIOSFODNN7EXAMPLE", "api_key"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "api_key"),
    ],
)
def test_each_kind_is_found(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 4111 1111 1111 1112",  # fails Luhn
        "ts 1732390000000",  # an epoch in ms
        "id 550e8400-e29b-41d4-a716-446655440000",
        "SSN-like 000-12-3456 and 666-12-3456",
        "GB00WEST12345698765432",  # bad IBAN checksum
        "version 1.2.3 build 20240101",
        "eyJub3QiOiJhIGp3dCJ9 alone",
        "Price 1,299.00 for 3 items",
    ],
)
def test_look_alikes_are_not_findings(text):
    assert kinds(text) == []


def test_luhn_and_iban_checksums():
    assert detectors.luhn_valid("4111111111111111")
    assert not detectors.luhn_valid("4111111111111112")
    assert detectors.iban_valid("DE89370400440532013000")
    assert not detectors.iban_valid("DE89370400440532013001")


def test_masked_values_are_recognised():
    assert detectors.is_masked("*** ****")
    assert not detectors.is_masked("***a")
    assert detectors.mask("ab c") == "** *"


def test_an_excerpt_never_contains_the_value_or_its_digits():
    text = "Thanks Jane, card 4111 1111 1111 1111 exp 12/29 ok"
    matches = detectors.find(text)
    card = next(m for m in matches if m.kind == "card_number")
    result = excerpt(text, matches, card)
    assert "[card_number]" in result and "Jane" in result
    assert not any(c.isdigit() for c in result)
    assert "1111" not in result
