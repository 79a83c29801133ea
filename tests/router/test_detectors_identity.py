"""SSNs, national IDs and dates of birth: US SSNs, national IDs and dates of birth, near
their keyword, by format, spaced out or in a table's column. Each positive with its
exact span; each hard negative must not fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    # ssn
    ("SSN: 123-45-6789", [("ssn", "123-45-6789")]),
    ("id 078-05-1120", [("ssn", "078-05-1120")]),
    ("social security number 123 45 6789", [("ssn", "123 45 6789")]),
    ("ssn#123456789", [("ssn", "123456789")]),
    # ssn spaced out (dashed: no keyword needed) or spelled out
    ("my social, it's 2 1 4 - 8 2 - 6 4 5 8.", [("ssn", "2 1 4 - 8 2 - 6 4 5 8")]),
    ("SSN 2 1 4 8 2 6 4 5 8", [("ssn", "2 1 4 8 2 6 4 5 8")]),
    (
        "SSN: one zero four, eight six, six eight three five",
        [("ssn", "one zero four, eight six, six eight three five")],
    ),
    # national_id
    ("NINO AB 12 34 56 C", [("national_id", "AB 12 34 56 C")]),
    ("Steuer-ID: 36 574 261 809", [("national_id", "36 574 261 809")]),
    ("NIR 2 95 10 99 126 111 93", [("national_id", "2 95 10 99 126 111 93")]),
    (
        "DNI 12345678Z, NIE X1234567L",
        [("national_id", "12345678Z"), ("national_id", "X1234567L")],
    ),
    ("BSN: 1112.22.333", [("national_id", "1112.22.333")]),
    ("codice fiscale RSSMRA85T10A562S", [("national_id", "RSSMRA85T10A562S")]),
    ("Aadhaar 2345 6789 0124", [("national_id", "2345 6789 0124")]),
    ("SIN: 123-456-782", [("national_id", "123-456-782")]),
    (
        "PESEL 44051401359; CPF 123.456.789-09",
        [("national_id", "44051401359"), ("national_id", "123.456.789-09")],
    ),
    ("ITIN 912-71-1234", [("national_id", "912-71-1234")]),
    ("passport number: C01X00T47", [("national_id", "C01X00T47")]),
    # national_id spaced out character by character, validated joined
    (
        "my NI number (B Y - 4 3 - 1 8 - 9 1 - A) was wrong",
        [("national_id", "B Y - 4 3 - 1 8 - 9 1 - A")],
    ),
    ("it is a B Y 4 3 1 8 9 1 A ok", [("national_id", "B Y 4 3 1 8 9 1 A")]),
    (
        "NIR: ２ ９ ５ １ ０ ９ ９ １ ２ ６ １ １ １ ９ ３",
        [("national_id", "２ ９ ５ １ ０ ９ ９ １ ２ ６ １ １ １ ９ ３")],
    ),
    # national_id near a generic name, or in the column such a name heads; next to its
    # name, a number of an ID's length whatever its check digits say
    ("Your ID number is 123456789.", [("national_id", "123456789")]),
    (
        "BSN 111222334 en DNI 12345678A",
        [("national_id", "111222334"), ("national_id", "12345678A")],
    ),
    (
        "citizen ID 123-456-782; personal number: 1112.22.333",
        [("national_id", "123-456-782"), ("national_id", "1112.22.333")],
    ),
    (
        "Check this CSV:\n\nname;national_id\n"
        "Madhavi Bahri;5096 1571 0430\nGautam Dewan;3004 1157 5849",
        [
            ("name", "Madhavi Bahri"),
            ("national_id", "5096 1571 0430"),
            ("name", "Gautam Dewan"),
            ("national_id", "3004 1157 5849"),
        ],
    ),
    (
        "| Name | Home address | ID number |\n|---|---|---|\n"
        "| Ann Lee | 12 Long Street, Springfield, IL | 5096 1571 0430 |",
        [
            ("name", "Ann Lee"),
            ("address", "12 Long Street, Springfield, IL"),
            ("national_id", "5096 1571 0430"),
        ],
    ),
    # dob
    ("DOB: 1985-03-14", [("dob", "1985-03-14")]),
    ("Patient born 14/03/1985, Geb. 14.03.1985", [("dob", "14/03/1985"), ("dob", "14.03.1985")]),
    ("date of birth: March 14, 1985", [("dob", "March 14, 1985")]),
    ("her birthday is the 3rd of May", [("dob", "3rd of May")]),
    ("né le 14 mars 1985", [("dob", "14 mars 1985")]),
    # ssn: "my social"; a column headed "ssn", also where an unquoted comma adds a cell
    ("They asked for my social, it's 211 40 7042. Follow up", [("ssn", "211 40 7042")]),
    (
        "name;ssn\nKimberly Jones;087877035\nValerie Morrow;390 50 2638",
        [
            ("name", "Kimberly Jones"),
            ("ssn", "087877035"),
            ("name", "Valerie Morrow"),
            ("ssn", "390 50 2638"),
        ],
    ),
    (
        "name,date_of_birth,ssn\n"
        "Brandon Jackson,Feb 27, 1999,725286349\nAnn Lee,1953-08-26,326226311",
        [
            ("name", "Brandon Jackson"),
            ("dob", "Feb 27, 1999"),
            ("ssn", "725286349"),
            ("name", "Ann Lee"),
            ("dob", "1953-08-26"),
            ("ssn", "326226311"),
        ],
    ),
    # national_id: a name one of whose shorter forms ends inside it
    (
        "Steuerliche Identifikationsnummer: 63402798456",
        [("national_id", "63402798456")],
    ),
    # dob: before a verb that ends the sentence, or in a column (full-width too)
    ("Hi, Ich bin am 27.02.1988 geboren. Formuliere", [("dob", "27.02.1988")]),
    ("Nací el 1979-11-03. Mi correo", [("dob", "1979-11-03")]),
    (
        "name,date_of_birth\nTheresa Finke,１５.０５.２０００\nCarmen Steinberg,1988-08-31",
        [
            ("name", "Theresa Finke"),
            ("dob", "１５.０５.２０００"),
            ("name", "Carmen Steinberg"),
            ("dob", "1988-08-31"),
        ],
    ),
]

HARD_NEGATIVES = [
    "2024-03-15, 15.03.2024, 03/15/2024, 2024-03-15 10:30:45, 2024-03-15T10:30:45Z",
    "Deadline 03/14/2025; Mozart was born on 27 January 1756",
    "part 12345678-0, 111222333 boxes",
    # single characters spaced out that join to no valid value
    "answers: A B C D A B C D A B C D; matrix 1 0 0 1 0 1 1 0 0 1 0 1 1 0 1",
    "spell it p l e a s e h e l p m e; specimen NINO Q Q 1 2 3 4 5 6 C",
    "digits 1 2 3 4 5 6 7 8 9 and 0 0 0 - 1 2 - 3 4 5 6",
    # generic ID names with no valid number, or a valid one outside the column
    "personal number 12345678901234; citizen id pending",
    "ID number 2024 5096 1571 0430 (a batch code: its last 12 digits are no ID)",
    "national_id;customer code and region;order reference\nn/a;C-1, Springfield;509615710430",
    "id;national_id\n1;n/a\n\nThe parcel left on Monday and the tracking code is 509615710430.",
    "team,ssn_last4,phone_count\nred,1234,2\nblue,5678,1",
    "Social media stats: 211 40 7042 views; the social, economic and political factors",
    "Er wurde 1985 in Berlin geboren.",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
