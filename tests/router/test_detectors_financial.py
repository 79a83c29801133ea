"""Payment cards and IBANs: payment cards (Luhn, issuer prefixes) and IBANs (mod 97), in
groups, full-width or spaced out. Each positive with its exact span; each hard negative
must not fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    # card
    ("card 4111111111111111 ok", [("card", "4111111111111111")]),
    (
        "4111 1111 1111 1111 and 5555-5555-5555-4444",
        [("card", "4111 1111 1111 1111"), ("card", "5555-5555-5555-4444")],
    ),
    (
        "amex 3782 822463 10005, discover 6011111111111117",
        [("card", "3782 822463 10005"), ("card", "6011111111111117")],
    ),
    (
        "card: 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 exp 12/27",
        [("card", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1")],
    ),
    ("pay 4111.1111.1111.1111", [("card", "4111.1111.1111.1111")]),
    (
        "maestro 6761 1234 5670, jcb 213100123456783, diners 30123456789019",
        [("card", "6761 1234 5670"), ("card", "213100123456783"), ("card", "30123456789019")],
    ),
    ("３７８２８２２４６３１０００５", [("card", "３７８２８２２４６３１０００５")]),
    ("4111\u200b1111\u200b1111\u200b1111", [("card", "4111\u200b1111\u200b1111\u200b1111")]),
    # iban
    ("IBAN DE89 3704 0044 0532 0130 00 bitte", [("iban", "DE89 3704 0044 0532 0130 00")]),
    ("GB82WEST12345698765432.", [("iban", "GB82WEST12345698765432")]),
    ("iban: fr1420041010050500013m02606", [("iban", "fr1420041010050500013m02606")]),
    ("NL91-ABNA-0417-1643-00", [("iban", "NL91-ABNA-0417-1643-00")]),
    # iban spaced out character by character
    (
        "IBAN Ｇ Ｂ ８ ２ - Ｗ Ｅ Ｓ Ｔ - １ ２ ３ ４ - ５ ６ ９ ８ - ７ ６ ５ ４ - ３ ２ please",
        [("iban", "Ｇ Ｂ ８ ２ - Ｗ Ｅ Ｓ Ｔ - １ ２ ３ ４ - ５ ６ ９ ８ - ７ ６ ５ ４ - ３ ２")],
    ),
]

HARD_NEGATIVES = [
    "ISBN 978-3-16-148410-0, ISBN 0-306-40615-2, EAN 9783161484100",
    "12345678901234 * 3 = 37037036703702",
    "12345678901234567890 / 7, 2^64 = 18446744073709551616, pi = 3.14159265358979323846",
    "0.4532015112830366 and 0.4111111111111111",
    "$1,234,567.89, € 1 234 567, price: 4111.11 EUR, USD 12,345,678",
    "G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 3 (the IBAN's last digit is wrong)",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
