"""The router's sensitive-data detectors: every type found with its exact span (also
obfuscated), hard negatives that must not fire, the offset map under obfuscation
(property test), the doctests, and the latency of `detect` on a 2,000-character prompt."""

from __future__ import annotations

import dataclasses
import doctest
import statistics
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from inhouse.router import detectors, normalize
from inhouse.router.detectors import (
    DEFAULT_CONFIG,
    DETECTORS,
    ENTITY_TYPES,
    DetectorConfig,
    Hit,
    detect,
    excerpts,
)
from inhouse.router.normalize import normalise

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def found(text: str, config: DetectorConfig = DEFAULT_CONFIG) -> list[tuple[str, int, int]]:
    return [(hit.type, hit.start, hit.end) for hit in detect(text, config)]


def spans(text: str, *expected: tuple[str, str]) -> list[tuple[str, int, int]]:
    """(type, start, end) of each (type, piece), the pieces found left to right."""
    result, at = [], 0
    for kind, piece in expected:
        start = text.index(piece, at)
        result.append((kind, start, start + len(piece)))
        at = start + len(piece)
    return result


# -- positives, with exact spans ----------------------------------------------------------

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
    ("Phone: +44 20 7946 0958 221 Baker St", [("phone", "+44 20 7946 0958")]),
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
    # national_id near a generic name, or in the column such a name heads
    (
        "citizen ID 123-456-782; personal number: 1112.22.333",
        [("national_id", "123-456-782"), ("national_id", "1112.22.333")],
    ),
    (
        "Check this CSV:\n\nname;national_id\n"
        "Madhavi Bahri;5096 1571 0430\nGautam Dewan;3004 1157 5849",
        [("national_id", "5096 1571 0430"), ("national_id", "3004 1157 5849")],
    ),
    (
        "| Name | Home address | ID number |\n|---|---|---|\n"
        "| Ann Lee | 12 Long Street, Springfield, IL | 5096 1571 0430 |",
        [("national_id", "5096 1571 0430")],
    ),
    # ip
    ("server 192.168.1.20 and 10.0.0.1:8080", [("ip", "192.168.1.20"), ("ip", "10.0.0.1")]),
    ("from 203.0.113.7.", [("ip", "203.0.113.7")]),
    (
        "host 2001:db8:85a3::8a2e:370:7334 / fe80::1ff:fe23:4567:890a%eth0",
        [("ip", "2001:db8:85a3::8a2e:370:7334"), ("ip", "fe80::1ff:fe23:4567:890a%eth0")],
    ),
    ("１９２．１６８．１．２０", [("ip", "１９２．１６８．１．２０")]),
    # ip with spelled or bracketed dots (normalise writes the dots)
    ("from 172 dot 22 dot 71 dot 194 port 22", [("ip", "172 dot 22 dot 71 dot 194")]),
    (
        "client 10(.)42(.)153(.)239 and 189[.]57[.]53[.]12, ２１９[.]９７[.]１３１[.]１２２",
        [
            ("ip", "10(.)42(.)153(.)239"),
            ("ip", "189[.]57[.]53[.]12"),
            ("ip", "２１９[.]９７[.]１３１[.]１２２"),
        ],
    ),
    ("DB at 10 [dot] 0 [dot] 12 [dot] 7", [("ip", "10 [dot] 0 [dot] 12 [dot] 7")]),
    # dob
    ("DOB: 1985-03-14", [("dob", "1985-03-14")]),
    ("Patient born 14/03/1985, Geb. 14.03.1985", [("dob", "14/03/1985"), ("dob", "14.03.1985")]),
    ("date of birth: March 14, 1985", [("dob", "March 14, 1985")]),
    ("her birthday is the 3rd of May", [("dob", "3rd of May")]),
    ("né le 14 mars 1985", [("dob", "14 mars 1985")]),
    # api_key
    ("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", [("api_key", "AKIAIOSFODNN7EXAMPLE")]),
    (
        "token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        [("api_key", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")],
    ),
    (
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        [("api_key", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")],
    ),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", [("api_key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")]),
    (
        "openai sk-proj-abc123DEF456ghi789JKL012mno345",
        [("api_key", "sk-proj-abc123DEF456ghi789JKL012mno345")],
    ),
    (
        "key=AIzaSyA1234567890abcdefghijklmnopqrstuv",
        [("api_key", "AIzaSyA1234567890abcdefghijklmnopqrstuv")],
    ),
    ("jwt " + JWT, [("api_key", JWT)]),
    (
        "Authorization: Bearer abcdef1234567890abcdef",
        [("api_key", "Bearer abcdef1234567890abcdef")],
    ),
    (
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        [("api_key", "Authorization: Basic dXNlcjpwYXNzd29yZA==")],
    ),
    ("use rT7kQ2xLm9PqZ4vB8nW3yH6j here", [("api_key", "rT7kQ2xLm9PqZ4vB8nW3yH6j")]),
    # private_key
    (
        "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
        "-----END RSA PRIVATE KEY-----\nthanks",
        [
            (
                "private_key",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
                "-----END RSA PRIVATE KEY-----",
            )
        ],
    ),
    # password
    (
        'DB_PASSWORD="hunter2!" and pwd: S3cr3t!',
        [("password", "hunter2!"), ("password", "S3cr3t!")],
    ),
    ("PGPASSWORD=tr0ub4dor psql", [("password", "tr0ub4dor")]),
    ('{"api_key": "abc123xyz789", "user": "x"}', [("password", "abc123xyz789")]),
    (
        "contraseña: Perro123; mot de passe : azerty123",
        [("password", "Perro123"), ("password", "azerty123")],
    ),
    (
        "my password is hunter2. Mein Passwort ist Sommer2024!",
        [("password", "hunter2"), ("password", "Sommer2024")],
    ),
    (
        "<password>hunter2</password> --api-key=k3y-v4lue-123",
        [("password", "hunter2"), ("password", "k3y-v4lue-123")],
    ),
    ("your PIN is 4821", [("password", "4821")]),
    ("пароль: qwerty123; 密码：abc12345", [("password", "qwerty123"), ("password", "abc12345")]),
    ("pаsswоrd = letmein99", [("password", "letmein99")]),  # Cyrillic а, о
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
            ("phone", "011 4353612"),
            ("dob", "20-03-1969"),
            ("phone", "+31 6 44350585"),
            ("dob", "28-08-1990"),
            ("phone", "+914685677020"),
            ("dob", "23 January 1980"),
        ],
    ),
    (
        "| Name | Mobile |\n|---|---|\n| Bautista Balaguer | 806 63 43 39 |",
        [("phone", "806 63 43 39")],
    ),
    # ssn: "my social"; a column headed "ssn", also where an unquoted comma adds a cell
    ("They asked for my social, it's 211 40 7042. Follow up", [("ssn", "211 40 7042")]),
    (
        "name;ssn\nKimberly Jones;087877035\nValerie Morrow;390 50 2638",
        [("ssn", "087877035"), ("ssn", "390 50 2638")],
    ),
    (
        "name,date_of_birth,ssn\n"
        "Brandon Jackson,Feb 27, 1999,725286349\nAnn Lee,1953-08-26,326226311",
        [
            ("dob", "Feb 27, 1999"),
            ("ssn", "725286349"),
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
        [("dob", "１５.０５.２０００"), ("dob", "1988-08-31")],
    ),
    # password: a few words after its name, brackets in it, a login's "user / password",
    # full-width or with an invisible character inside, a column headed "password"
    ("I changed the wifi password to Kestrel1691%. Can you", [("password", "Kestrel1691%")]),
    ("The admin password for the router is !Ob00Yiu%Pz. Could", [("password", "!Ob00Yiu%Pz")]),
    ('"The temporary password they gave me is Welcome1711*."', [("password", "Welcome1711*")]),
    ("Mon mot de passe est #Xw9FRjE%x(.", [("password", "#Xw9FRjE%x(")]),
    ("Mein Passwort ist $hmasC_zi8gZ. Bitte", [("password", "$hmasC_zi8gZ")]),
    (
        '"Login is christopher / CWE#qL&*o)w5Jp!jFJ5."',
        [("password", "CWE#qL&*o)w5Jp!jFJ5")],
    ),
    ("Login is cody / horse-rocket-river-violet59.", [("password", "horse-rocket-river-violet59")]),
    ('"Login is kelly / Ti\u200dger343?."', [("password", "Ti\u200dger343?")]),
    (
        "I changed the wifi password to Ｉ＆０Ｗｕｘｕｌ＃５ＭＳａ.",
        [("password", "Ｉ＆０Ｗｕｘｕｌ＃５ＭＳａ")],
    ),
    (
        "port: 8080\nredis_password: )xng#Kvg)X0u0!Us\nSMTP_PASSWORD=9UxH(oeTB09si+phC)zP",
        [("password", ")xng#Kvg)X0u0!Us"), ("password", "9UxH(oeTB09si+phC)zP")],
    ),
    ('+DB_PASSWORD = "iEyj5IrDM($nx"', [("password", "iEyj5IrDM($nx")]),
    ("user;password;role\nann;Welcome1!;admin", [("password", "Welcome1!")]),
    # api_key split into groups by spaces
    (
        "The AWS access key we were given is AKIAR3SQ DFFXRGNE CFUO. The",
        [("api_key", "AKIAR3SQ DFFXRGNE CFUO")],
    ),
    (
        '-H "Authorization: Bearer xoxb-5 431669 162106 -52398 909671 51-HKF kUt8Yj aKlGm7 b5sJba'
        ' FTU" -d channel=C024BE91L',
        [("api_key", "xoxb-5 431669 162106 -52398 909671 51-HKF kUt8Yj aKlGm7 b5sJba FTU")],
    ),
    # ip: a full IPv6 address with a port after it, without the brackets
    (
        'BASE_URL = "http://2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b:8000"',
        [("ip", "2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES, ids=[t[:40] for t, _ in POSITIVES])
def test_finds_each_type_with_its_exact_span(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == spans(text, *expected)


def test_every_type_has_a_positive_case() -> None:
    covered = {kind for _, expected in POSITIVES for kind, _ in expected} | {"custom"}
    assert covered == set(ENTITY_TYPES)


def test_email_in_a_url_password_is_reported_as_both() -> None:
    text = "postgres://admin:s3cret@db.internal:5432/app"
    assert ("password", "s3cret") in excerpts(text)


def test_hidden_tag_characters_are_read() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "password=hunter2")
    text = f"hello {hidden} world"
    assert found(text) == [("password", 6 + 9, 6 + 16)]  # the tags spelling "hunter2"


def test_custom_terms_and_patterns() -> None:
    config = DetectorConfig(
        custom_terms=("Project Falcon", "confidential"), custom_patterns=(r"\bEMP-\d{6}\b",)
    )
    text = "The project\nFALCON plan is CONFIDENTIAL, owner EMP-004211; falconry is fine."
    assert found(text, config) == spans(
        text, ("custom", "project\nFALCON"), ("custom", "CONFIDENTIAL"), ("custom", "EMP-004211")
    )
    assert [h.detector for h in detect(text, config)] == [
        "custom_term",
        "custom_term",
        "custom_pattern",
    ]
    obfuscated = "Ｃｏｎｆｉｄｅｎ\u200bｔｉａｌ memo"
    assert found(obfuscated, config) == [("custom", 0, 13)]


def test_custom_terms_with_separators_or_spaced_out() -> None:
    config = DetectorConfig(custom_terms=("Project Falcon", "Bluebird"))
    text = (
        "[project_falcon] project-falcon Project.Falcon ProjectFalcon, "
        "B l u e b i r d and P r o j e c t  F a l c o n."
    )
    assert found(text, config) == spans(
        text,
        ("custom", "project_falcon"),
        ("custom", "project-falcon"),
        ("custom", "Project.Falcon"),
        ("custom", "ProjectFalcon"),
        ("custom", "B l u e b i r d"),
        ("custom", "P r o j e c t  F a l c o n"),
    )
    looks_alike = "We shipped the project. Falcon 9 flew; bluebirds, blue birds, falconry, projects"
    assert found(looks_alike, config) == []


def test_spelled_digits_and_dots_are_rewritten_and_mapped_back() -> None:
    text = (
        "ring plus one, eight one two, five six seven, one seven three zero"
        " or 10 [dot] 0 (.) 12 dot 7"
    )
    normalised = normalise(text)
    assert normalised.text == "ring +1 812 567 1730 or 10.0.12.7"
    phone = normalised.text.index("+1")
    assert normalised.span(phone, phone + len("+1 812 567 1730")) == (5, text.index(" or"))
    ip = normalised.text.index("10.0")
    low, high = normalised.span(ip, len(normalised.text))
    assert text[low:high] == "10 [dot] 0 (.) 12 dot 7"
    # a span inside a spelled digit's word maps to the whole word
    eight = normalised.text.index("8")
    assert text[slice(*normalised.span(eight, eight + 1))] == "eight"


def test_six_spelled_digits_are_left_as_words() -> None:
    text = "call one two three four five six"
    assert normalise(text).text == text
    assert normalise("call one two three four five six seven").text == "call 1234567"


# -- hard negatives ---------------------------------------------------------------------

HARD_NEGATIVES = [
    "order #123456789",
    "Order number: 0123456789 shipped",
    "invoice INV-2024-000123, invoice no. 4111111111",
    "upgrade to v1.2.3.4 or version 2.14.1; release 10.0.19041.1; Python 3.11.7",
    "Chrome 120.0.6099.109, chapter 3.2.1.4, OID 1.3.6.1.4.1.311",
    "2024-03-15, 15.03.2024, 03/15/2024, 2024-03-15 10:30:45, 2024-03-15T10:30:45Z",
    "Mon, 15 Mar 2024 10:30:45 +0000; the meeting is at 10:30",
    "Deadline 03/14/2025; Mozart was born on 27 January 1756",
    "ISBN 978-3-16-148410-0, ISBN 0-306-40615-2, EAN 9783161484100",
    "id 550e8400-e29b-41d4-a716-446655440000",
    "commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, git checkout 3f2a1bc",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "integrity sha512-K7GFGhPpa3Z8D7+dXjQ1f2kL9mN0pQ==",
    "hash 5d41402abc4b2a76b9719d911017c592",
    "12345678901234 * 3 = 37037036703702",
    "12345678901234567890 / 7, 2^64 = 18446744073709551616, pi = 3.14159265358979323846",
    "0.4532015112830366 and 0.4111111111111111",
    "matrix 12 34 56 78 90 12 34 56 78 90 12 34",
    "ZIP 94103, ZIP 94103-1234, SW1A 1AA, 75008 Paris, PLZ 10115 Berlin",
    "$1,234,567.89, € 1 234 567, price: 4111.11 EUR, USD 12,345,678",
    "timestamp 1700000000, ts=1700000000123, epoch 1710498645",
    "look at the dot com bubble; I looked at example.com; meet me at home",
    "@property\ndef name(self): ...  # icon@2x.png, git@github.com:org/repo.git",
    "password: str = os.environ['PW']; the password is stored hashed",
    "Password must be at least 8 characters; password=${DB_PASSWORD}",
    "password: <your password>; password = getpass(); api_key = settings.api_key",
    "token = tokenizer(text); max_tokens=100; secret: ****; enter your PIN",
    "bind 127.0.0.1 and 0.0.0.0, netmask 255.255.255.0, ::1, std::vector<int>, a::b",
    "getUserAccountSettings2024ByIdentifier cp311-cp311-manylinux_2_17_x86_64.whl",
    "node_modules/.bin/webpack-cli x86_64-unknown-linux-gnu MyVeryLongVariableName123",
    "https://example.com/project/commit/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b?page=2",
    "ticket 123 45 6789; room 1234567; page 1234567; call me tomorrow",
    "The population is 8000000000; cost 12 345 678 EUR",
    "part 12345678-0, 111222333 boxes",
    '{"id": "evt_1NXWPk2eZvKYlo2C", "customer": "cus_NffrFeUfNV2Hib", "livemode": false}',
    "docker run -p 8080:80 nginx:1.25.3-alpine; kubectl get pods | grep web-7d8f9b6c5d",
    "set max_new_tokens=256 and temperature=0.7; read os.environ['OPENAI_API_KEY']",
    "What does -----BEGIN RSA PRIVATE KEY----- mean?",
    "pip install scikit-learn; see sk-learn-documentation-for-details",
    # single characters spaced out that join to no valid value
    "answers: A B C D A B C D A B C D; matrix 1 0 0 1 0 1 1 0 0 1 0 1 1 0 1",
    "spell it p l e a s e h e l p m e; specimen NINO Q Q 1 2 3 4 5 6 C",
    "digits 1 2 3 4 5 6 7 8 9 and 0 0 0 - 1 2 - 3 4 5 6",
    "G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 3 (the IBAN's last digit is wrong)",
    # generic ID names with no valid number, or a valid one outside the column
    "Your ID number is 123456789; personal number 12345678901234; citizen id pending",
    "ID number 2024 5096 1571 0430 (a batch code: its last 12 digits are no ID)",
    "national_id;customer name and address;order reference\n"
    "n/a;Ann Smith, 1 Long Street, Springfield;509615710430",
    "name;national_id\nAnn;n/a\n\nThe parcel left on Monday and the tracking code is 509615710430.",
    # digits spelled out that are no phone number
    "I have one, two, three, four, five, six, seven reasons; the code is nine nine nine nine nine",
    "Count: one two three four five six seven eight nine ten; someone two three four five six",
    # spelled or bracketed dots between numbers that are no identifying IP address
    "version 1 dot 2 dot 3 dot 4, Chrome 120 (dot) 0 (dot) 6099 (dot) 109, 10 dot 2 dot 3",
    "bind 127 dot 0 dot 0 dot 1, mask 255[.]255[.]255[.]0, the dot com bubble of 2000",
    # a password's name with no password after it
    "I forgot my password to my Windows10 laptop, what now?",
    "The password is at least 12 characters and must include a symbol like ! or #.",
    "Set the password to expire after 90 days. My password manager is 1Password8.",
    "The password for the router is in settings_v2.yaml, the guest one in vault/prod/wifi1",
    "The login page is at https://app.example.com/login2; Login is admin / admin by default.",
    "Should I pin numpy==1.26.4? Change the password to something with 12+ chars.",
    "Your password was changed on 2024-05-01 at 10:30am; password: ${{ secrets.DB_PW2 }}",
    "Das Passwort ist zu kurz (mindestens 12 Zeichen). Wie lautet das Passwort für WLAN2024?",
    "Credentials are in the vault under team/app1; sign-in is with Google / GitHub.",
    # a table's column whose name only starts with a password's or phone's name
    "| Setting | Password policy |\n|---|---|\n| length | enabled |\n| Admins | strict |",
    "| Phone model | Price |\n|---|---|\n| Pixel 8 | 699 |\n| iPhone 15 | 799 |",
    "name,ssn_last4,phone_count\nAnn,1234,2\nBo,5678,1",
    # a sentence with commas is no table's header
    "Call my phone, email, or fax, whatever is easiest for you\nOrder 1, 2024-01-02, 12345678",
    # "number" and "social" in other senses; a year before "geboren"
    "my number of attempts is 1234567890; you can reach me after 5pm; order 0123456789 shipped",
    "Social media stats: 211 40 7042 views; the social, economic and political factors",
    "Er wurde 1985 in Berlin geboren.",
    # a vendor's prefix before words
    "AKIA is the prefix of AWS access keys, e.g. AKIA plus 16 characters; xoxb- is for bots",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES, ids=[t[:40] for t in HARD_NEGATIVES])
def test_hard_negatives_do_not_fire(text: str) -> None:
    assert excerpts(text) == []


# -- the API ------------------------------------------------------------------------------


def test_hits_are_sorted_typed_and_merged() -> None:
    text = "secret: aB3xK9pQ2mZ7wL5vN8rT, mail a@example.com, AKIAIOSFODNN7EXAMPLE"
    hits = detect(text)
    assert hits == sorted(hits, key=lambda h: h.start)
    assert all(h.type in ENTITY_TYPES for h in hits)
    assert all(isinstance(h, Hit) for h in hits)
    # the entropy and the password detectors both find the secret: one hit for each type
    secret = ("aB3xK9pQ2mZ7wL5vN8rT", 8, 28)
    assert found(text) == [
        ("api_key", *secret[1:]),
        ("password", *secret[1:]),
        *spans(text, ("email", "a@example.com"), ("api_key", "AKIAIOSFODNN7EXAMPLE")),
    ]
    assert text[8:28] == secret[0]


def test_merge_joins_overlapping_hits_of_one_type_only() -> None:
    hits = [
        Hit("api_key", 5, 30, "entropy"),
        Hit("api_key", 0, 20, "api_key"),
        Hit("ip", 2, 9, "ip"),
    ]
    assert detectors.merge(hits) == [Hit("api_key", 0, 30, "api_key"), Hit("ip", 2, 9, "ip")]
    touching = [Hit("card", 0, 5, "luhn"), Hit("card", 5, 9, "luhn")]
    assert detectors.merge(touching) == touching


def test_disabled_detectors_do_not_run() -> None:
    text = "mail a@example.com, card 4111 1111 1111 1111"
    config = DetectorConfig(disabled=("luhn",))
    assert [h.type for h in detect(text, config)] == ["email"]


def test_config_errors_are_raised_early() -> None:
    with pytest.raises(ValueError, match="not a valid regular expression"):
        DetectorConfig(custom_patterns=("(",))
    with pytest.raises(ValueError, match="unknown detectors"):
        DetectorConfig(disabled=("nope",))
    with pytest.raises(ValueError, match="at least 8"):
        DetectorConfig(entropy_min_length=4)


def test_detector_errors_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, normalised: normalize.Normalised, config: DetectorConfig) -> list[Hit]:
        raise RuntimeError("boom")

    monkeypatch.setitem(DETECTORS, "email", broken)
    with pytest.raises(RuntimeError, match="boom"):
        detect("anything")


def test_every_detector_reports_a_known_type() -> None:
    text = " ".join(t for t, _ in POSITIVES)
    config = DetectorConfig(custom_terms=("falcon",), custom_patterns=("EMP",))
    for name, find in DETECTORS.items():
        for hit in find(text + " falcon EMP", normalise(text + " falcon EMP"), config):
            assert hit.type in ENTITY_TYPES and hit.detector == name


def test_config_is_frozen_and_hashable() -> None:
    config = DetectorConfig(custom_terms=("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.custom_terms = ()  # type: ignore[misc]
    assert hash(config) == hash(DetectorConfig(custom_terms=("x",)))


def test_doctests() -> None:
    for module in (normalize, detectors):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__


# -- the offset map (property tests) --------------------------------------------------------

FULL_WIDTH = {c: chr(ord(c) - 0x21 + 0xFF01) for c in "0123456789abcdefghijklmnopqrstuvwxyz@."}
FILLER = st.text(alphabet=st.sampled_from("abcdefghijklmnop ,;!?\n\u200b\u200d"), max_size=30)


@st.composite
def obfuscated(draw: st.DrawFn, value: str) -> str:
    """`value` with zero-width characters between its characters and some folded to
    their full-width forms."""
    out = []
    for index, char in enumerate(value):
        out.append(FULL_WIDTH.get(char, char) if draw(st.booleans()) else char)
        if index < len(value) - 1 and draw(st.integers(0, 3)) == 0:
            out.append("".join(draw(st.lists(st.sampled_from(ZERO_WIDTH), min_size=1, max_size=3))))
    return "".join(out)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    body = "4" + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=14, max_size=14)))
    number = body + luhn.calc_check_digit(body)
    separator = draw(st.sampled_from(["", " ", "-", "."]))
    return separator.join(number[i : i + 4] for i in range(0, 16, 4))


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    word = st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1, max_size=8
    )
    local = ".".join(draw(st.lists(word, min_size=1, max_size=3)))
    domain = ".".join(draw(st.lists(word, min_size=1, max_size=2)))
    tld = draw(st.sampled_from(["com", "org", "de", "io"]))
    return f"{local}@{domain}.{tld}"


@settings(max_examples=200, deadline=None)
@given(data=st.data(), kind=st.sampled_from(["card", "email"]))
def test_mapped_span_covers_exactly_the_obfuscated_value(data: st.DataObject, kind: str) -> None:
    value = data.draw(card_numbers() if kind == "card" else email_addresses())
    hidden = data.draw(obfuscated(value))
    before, after = data.draw(FILLER), data.draw(FILLER)
    text = f"{before} {hidden} {after}"
    start = len(before) + 1
    hits = [h for h in detect(text) if h.type == kind]
    assert [(h.start, h.end) for h in hits] == [(start, start + len(hidden))]
    assert normalise(text[hits[0].start : hits[0].end]).text == value


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), data=st.data())
def test_every_normalised_span_maps_back_to_its_source(text: str, data: st.DataObject) -> None:
    normalised = normalise(text)
    folded = normalised.text
    assert len(normalised.lower) == len(folded)
    start = data.draw(st.integers(0, len(folded)))
    end = data.draw(st.integers(start, len(folded)))
    low, high = normalised.span(start, end)
    assert 0 <= low <= high <= len(text)
    if end > start:
        assert folded[start:end] in normalise(text[low:high]).text


TRICKY = st.sampled_from(
    [*"0123456789 .-+()/:@#=\"'abcxyzABC_\n\u200b４＠．", "dot", " at ", "password", "ssn ",
     "born ", "BSN ", "+44 ", "4111", "DE89", "eyJ", "sk-", "-----BEGIN RSA PRIVATE KEY-----",
     "::", "fe80", "tel ", " one", " two,", "plus ", "double ", " dot ", "[.]", "(dot)", " B Y",
     " 4 3 -", "national_id;", "\n5096 1571 0430;"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(TRICKY, max_size=60).map("".join)))
def test_any_text_gives_hits_inside_it_and_no_error(text: str) -> None:
    for hit in detect(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.type in ENTITY_TYPES and hit.detector in DETECTORS


# -- latency --------------------------------------------------------------------------------

PROMPT = (
    "Please review the following Python function and suggest improvements. It loads the "
    "quarterly report for 2024, computes totals for each region and writes them to a CSV "
    "file. We run it on version 2.14.1 of the pipeline; order #123456789 failed last week "
    "with a timeout at 10:30:45 on 2024-03-15. The invoice INV-2024-000123 totals $1,234.56. "
    "See https://github.com/example/project/commit/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b "
    "and the UUID 550e8400-e29b-41d4-a716-446655440000 in the logs.\n\n"
    "def summarise(rows: list[dict[str, float]], region: str = 'EMEA') -> dict[str, float]:\n"
    "    totals = {}\n    for row in rows:\n        key = row['region']\n"
    "        totals[key] = totals.get(key, 0.0) + row['amount'] * 1.19\n    return totals\n\n"
    "The function is called from the scheduler every 15 minutes. Our team would like to know "
    "whether using pandas would be faster for 12345678901234 * 3 rows, and how to handle "
    "missing values. Thanks! Also, what is the complexity of sorting 1000000 items? "
) * 4


def test_latency_on_a_2000_character_prompt(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed, not asserted (machines differ): the target is a p50 of 1.5 ms."""
    prompts = {
        "clean": PROMPT[:2000],
        "with secrets": (
            "Contact john.smith@example.com or +44 20 7946 0958, card 4111 1111 1111 1111, "
            "IBAN DE89 3704 0044 0532 0130 00, password=hunter2, born on 14 March 1985. " + PROMPT
        )[:2000],
    }
    lines = []
    for label, prompt in prompts.items():
        for _ in range(50):
            detect(prompt)
        times = []
        for _ in range(1000):
            started = time.perf_counter()
            detect(prompt)
            times.append(time.perf_counter() - started)
        times.sort()
        lines.append(
            f"detect() on a 2,000-char prompt ({label}): "
            f"p50 {statistics.median(times) * 1e3:.3f} ms, p95 {times[949] * 1e3:.3f} ms"
        )
    assert detect(prompts["clean"]) == []
    with capsys.disabled():
        print("\n" + "\n".join(lines))
