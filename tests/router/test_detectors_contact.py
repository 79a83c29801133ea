"""E-mail addresses and phone numbers: e-mail addresses (also spelled out) and phone
numbers (national, international, spelled out, in a table's column). Each positive with
its exact span; each hard negative must not fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    # email, plain and obfuscated
    ("Mail jane.doe@example.org today", [("email", "jane.doe@example.org")]),
    ("To: Zoë.Müller+tag@mail.example.de.", [("email", "Zoë.Müller+tag@mail.example.de")]),
    ("write john dot smith at example dot com", [("email", "john dot smith at example dot com")]),
    (
        "john[at]example[dot]com or jane (at) example.org",
        [("email", "john[at]example[dot]com"), ("email", "jane (at) example.org")],
    ),
    ("JOHN AT EXAMPLE DOT CO DOT UK", [("email", "JOHN AT EXAMPLE DOT CO DOT UK")]),
    ("mail j.doe @ example.org", [("email", "j.doe @ example.org")]),
    ("ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", [("email", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ")]),
    ("x jo\u200bhn@exa\u200dmple.com y", [("email", "jo\u200bhn@exa\u200dmple.com")]),
    # phone
    ("call +1 (415) 867-5309 now", [("phone", "+1 (415) 867-5309")]),
    (
        "+44 20 7946 0958, +49 30 12345678",
        [("phone", "+44 20 7946 0958"), ("phone", "+49 30 12345678")],
    ),
    (
        "+33 1 23 45 67 89 / +91 98765 43210",
        [("phone", "+33 1 23 45 67 89"), ("phone", "+91 98765 43210")],
    ),
    ("dial 0044 20 7946 0958", [("phone", "0044 20 7946 0958")]),
    (
        "office 020 7946 0958, mobile 07911 123456",
        [("phone", "020 7946 0958"), ("phone", "07911 123456")],
    ),
    (
        "(212) 456-7890 or 212.456.7890 or 1-800-275-2273",
        [("phone", "(212) 456-7890"), ("phone", "212.456.7890"), ("phone", "1-800-275-2273")],
    ),
    (
        "Tel. 030/12345678, +49 (0)30 12345678",
        [("phone", "030/12345678"), ("phone", "+49 (0)30 12345678")],
    ),
    ("my mobile: 9876543210", [("phone", "9876543210")]),
    (
        "Phone: +44 20 7946 0958 221 Baker St",
        [("phone", "+44 20 7946 0958"), ("address", "221 Baker St")],
    ),
    (
        "(212) 456-7890 x123 or 212-456-7890 ext. 45",
        [("phone", "(212) 456-7890 x123"), ("phone", "212-456-7890 ext. 45")],
    ),
    ("Invoice: +44 20 7946 0958", [("phone", "+44 20 7946 0958")]),
    ("+４４ ２０ ７９４６ ０９５８", [("phone", "+４４ ２０ ７９４６ ０９５８")]),
    # phone spelled out in words (normalise writes the digits)
    (
        "My landline is plus one, eight one two, five six seven, one seven three zero, I'm home",
        [("phone", "plus one, eight one two, five six seven, one seven three zero")],
    ),
    (
        "Mobile: three six zero, two two five, eight four eight four",
        [("phone", "three six zero, two two five, eight four eight four")],
    ),
    (
        "or oh seven nine double one, one two three four five six",
        [("phone", "oh seven nine double one, one two three four five six")],
    ),
    (
        "ring ｐｌｕｓ one, eight\u200b one two, five six seven, one seven three zero now",
        [("phone", "ｐｌｕｓ one, eight\u200b one two, five six seven, one seven three zero")],
    ),
    (  # the spelled SSN after it does not read as the phone's thousands
        "Duran,(564) 869-0862,four four two, eight four, zero three zero one",
        [("phone", "(564) 869-0862")],
    ),
    # phone: "number" in the personal sense, a landline, an area code in brackets with
    # invisible characters inside
    ("I changed my number to 6166106248. Thanks", [("phone", "6166106248")]),
    ("My landline is 9707245827, I'm home after 6", [("phone", "9707245827")]),
    (
        "Best number to reach me: (0\u2060114)4960\u200b689. No action needed.",
        [("phone", "(0\u2060114)4960\u200b689")],
    ),
    (
        "Contact number: (0\u200c87)-31\ufeff4\u20608406",
        [("phone", "(0\u200c87)-31\ufeff4\u20608406")],
    ),
    (
        "Mijn mobiele nummer is (\u200b0656)\u200d 476\ufeff2\u206029. Maak hier",
        [("phone", "(\u200b0656)\u200d 476\ufeff2\u206029")],
    ),
    # phone and dob in a table's columns (a comma after a number is the next cell)
    (
        "Convert this CSV:\n\nname,phone,date_of_birth\n"
        "Juliette Blokland,011 4353612,20-03-1969\n"
        "Janna van de Pavert,+31 6 44350585,28-08-1990\n"
        "Aadi Raghavan,+914685677020,23 January 1980",
        [
            ("name", "Juliette Blokland"),
            ("phone", "011 4353612"),
            ("dob", "20-03-1969"),
            ("name", "Janna van de Pavert"),
            ("phone", "+31 6 44350585"),
            ("dob", "28-08-1990"),
            ("name", "Aadi Raghavan"),
            ("phone", "+914685677020"),
            ("dob", "23 January 1980"),
        ],
    ),
    (
        "| Name | Mobile |\n|---|---|\n| Bautista Balaguer | 806 63 43 39 |",
        [("name", "Bautista Balaguer"), ("phone", "806 63 43 39")],
    ),
]

HARD_NEGATIVES = [
    "order #123456789",
    "Order number: 0123456789 shipped",
    "invoice INV-2024-000123, invoice no. 4111111111",
    "Mon, 15 Mar 2024 10:30:45 +0000; the meeting is at 10:30",
    "matrix 12 34 56 78 90 12 34 56 78 90 12 34",
    "ZIP 94103, ZIP 94103-1234, SW1A 1AA, 75008 Paris, PLZ 10115 Berlin",
    "timestamp 1700000000, ts=1700000000123, epoch 1710498645",
    "look at the dot com bubble; I looked at example.com; meet me at home",
    "@property\ndef name(self): ...  # icon@2x.png, git@github.com:org/repo.git",
    "ticket 123 45 6789; room 1234567; page 1234567; call me tomorrow",
    "The population is 8000000000; cost 12 345 678 EUR",
    # digits spelled out that are no phone number
    "I have one, two, three, four, five, six, seven reasons; the code is nine nine nine nine nine",
    "Count: one two three four five six seven eight nine ten; someone two three four five six",
    "| Phone model | Price |\n|---|---|\n| Pixel 8 | 699 |\n| iPhone 15 | 799 |",
    # a sentence with commas is no table's header
    "Call my phone, email, or fax, whatever is easiest for you\nOrder 1, 2024-01-02, 12345678",
    # "number" and "social" in other senses; a year before "geboren"
    "my number of attempts is 1234567890; you can reach me after 5pm; order 0123456789 shipped",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
