"""Person names: the cues (titles, greetings, sign-offs, name fields and questions,
relations, roles, table columns, names before contact details) and the name list, each
positive with its exact span; hard negatives (greetings to a team, units after numbers,
acronyms, YAML keys, listed names that are English words or part of a place) must not
fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    ("please correct it to Dr. Cettina Fanucci?", [("name", "Cettina Fanucci")]),
    (
        "Dear Mrs Weber,\n\nthanks.\n\nKind regards,\nJan de Vries",
        [("name", "Weber"), ("name", "Jan de Vries")],
    ),
    ("Hi Anna, the report is late.", [("name", "Anna")]),
    ("My name is rubija and I cannot log in.", [("name", "rubija")]),
    ("What's your last name? Magnusson", [("name", "Magnusson")]),
    ("Bot: What's the name on the account? User: Šárka Ottová", [("name", "Šárka Ottová")]),
    ("Name:    Jussi Kallio\nPlan: Pro", [("name", "Jussi Kallio")]),
    ("name;team\nJuliette Blokland;Sales", [("name", "Juliette Blokland")]),
    ("Ann Lee <ann@example.org>", [("name", "Ann Lee"), ("email", "ann@example.org")]),
    ("I want to add Maija Virtanen as a beneficiary.", [("name", "Maija Virtanen")]),
    ("Sophia Radl asked whether the refund was paid.", [("name", "Sophia Radl")]),
    ("Summarise the complaint from Amalia Galindo: late.", [("name", "Amalia Galindo")]),
    ("Our new intern Slavko Skok starts on Monday.", [("name", "Slavko Skok")]),
    ("Bonjour Mme Lefèvre, merci.", [("name", "Lefèvre")]),
    ("Sehr geehrte Frau Schmidt,", [("name", "Schmidt")]),
    ("She named him Aapo.", [("name", "Aapo")]),
    ("Sometimes people call me siiri", [("name", "siiri")]),
    (
        "Katrina Mota\nKnowledge Agency\nSales lead\n+46 8 123 456 78",
        [("name", "Katrina Mota"), ("phone", "+46 8 123 456 78")],
    ),
    # from the name list (data/names/build.py): no cue needed, any case that agrees
    ("Hi, this is Anđa Brlek. I can't log in.", [("name", "Anđa Brlek")]),
    ("can you help onni m. hakkarainen reset it?", [("name", "onni m. hakkarainen")]),
    ("WINNER: KATRIN A. KUNINGAS - confirm the prize", [("name", "KATRIN A. KUNINGAS")]),
    ("The parcel was signed for by Kilgallon, Amelia.", [("name", "Kilgallon, Amelia")]),
    ("Meeting notes: Ole-Kristian Rønning will send it.", [("name", "Ole-Kristian Rønning")]),
    ("Judith says the invoice is wrong.", [("name", "Judith")]),
    ("I need a reminder to call Margarida about the lease.", [("name", "Margarida")]),
    ("Billing address: Sara Schwarz", [("name", "Sara Schwarz")]),
]

HARD_NEGATIVES = [
    "Dear team, the build is broken.",
    "Hi all, thanks!",
    "Best regards,\nThe Support Team",
    "p99 latency under 100 ms. Cover the data model.",
    "Write a message to USPS asking them to redeliver.",
    "name: Build and Test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest",
    "My name is not important.",
    "class Person:\n    name: str",
    "Thanks, that helped!",
    "Hello World! Print it in Python.",
    # listed names that are English words, or part of a place's or a street's name
    "Meet me at Grant Park, then Rose Hill.",
    "Call me lazy, but write the SQL for me.",
    "Is the ZIP code 94103 in San Francisco?",
    "Who painted the Mona Lisa?",
    "the sort will run in long mode",
]

test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
