"""Street addresses in many languages and orders, with their unit lines and the city,
postcode and country lines below; postcodes, cities and street names alone must not
fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    (
        "Send it to 221B Baker Street, London NW1 6XE, please",
        [("address", "221B Baker Street, London NW1 6XE")],
    ),
    ("Lieferung an Hauptstraße 5, 10115 Berlin", [("address", "Hauptstraße 5, 10115 Berlin")]),
    ("Calle Mayor 12, 3º izquierda", [("address", "Calle Mayor 12, 3º")]),
    (
        "Adresse : 808, rue Josette Giraud, 78834 Allain-sur-Allain",
        [("address", "808, rue Josette Giraud, 78834 Allain-sur-Allain")],
    ),
    ("Via Roma 3, 00184 Roma RM", [("address", "Via Roma 3, 00184 Roma RM")]),
    ("ul. Kwiatowa 12/3, 12-345 Warszawa", [("address", "ul. Kwiatowa 12/3, 12-345 Warszawa")]),
    ("Dorpsstraat 12\n1234 AB Amsterdam", [("address", "Dorpsstraat 12\n1234 AB Amsterdam")]),
    # no street word: a name and a number, then a city with its postcode after it
    ("Husova 47\nPotštát 201 58", [("address", "Husova 47\nPotštát 201 58")]),
    ("Glogovac 8a, Krapina 23636", [("address", "Glogovac 8a, Krapina 23636")]),
    ("Robinpad 49, Tzummarum, 2899QH", [("address", "Robinpad 49, Tzummarum, 2899QH")]),
    (
        "Flat 12\nSmith road\nNew Jane\nW1 2AB",
        [("address", "Flat 12\nSmith road\nNew Jane\nW1 2AB")],
    ),
    ("He lives at 12 Long Street. Call him.", [("address", "12 Long Street")]),
    ("P.O. Box 1234, Springfield", [("address", "P.O. Box 1234, Springfield")]),
    ("USS Mahler\nFPO AA 70489", [("address", "USS Mahler\nFPO AA 70489")]),
    ("Storgatan 3, 111 51 Stockholm", [("address", "Storgatan 3, 111 51 Stockholm")]),
    ("Visoka 9, 02511 Beli Manastir", [("address", "Visoka 9, 02511 Beli Manastir")]),
    ("Fő utca 5, 1011 Budapest", [("address", "Fő utca 5, 1011 Budapest")]),
    (
        "Billing address: Sara Schwarz\n    28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    53650",
        [
            ("name", "Sara Schwarz"),
            ("address", "28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    53650"),
        ],
    ),
    (
        "William Hughes\n\n20789 Allika 46\n Suite 501\n Riisa\n Estonia 62488",
        [
            ("name", "William Hughes"),
            ("address", "20789 Allika 46\n Suite 501\n Riisa\n Estonia 62488"),
        ],
    ),
]

HARD_NEGATIVES = [
    "ZIP 94103, ZIP 94103-1234, SW1A 1AA, 75008 Paris, PLZ 10115 Berlin",
    "Order 12, Invoice 98765; Page 12, Chapter 2024; Python 3, Windows 10",
    "Flight LH 400, Frankfurt 0800",
    "Why is Wall Street called Wall Street?",
    "the test suite ran 3 times",
    "Windows 11, 2023 Update",
    "Python 3, 2024 Berlin",
    "Room 101 is in which novel?",
    "Convert 221 degrees Fahrenheit to Celsius",
    "I live in Lisbon.",
    "Upgrade to version 2.14 street",
    "Design an API with 3,000 daily active users and 348,000 requests per second.",
]

test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
