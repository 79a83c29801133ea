"""Deterministic generator for part of the extraction evaluation set, and its manifest.

Most items in ``contact/`` and ``invoice/`` are hand-written; this script only adds the
templated ones (business cards, attendee lists, CRM notes, signatures; short tabular
invoices; the five long multi-page invoices) and then rewrites ``manifest.jsonl`` from the
hand-written items' tags (``HAND`` below) plus the generated items.

Re-running it gives byte-identical output (fixed seeds, no clock, no network)::

    python data/extraction/generate.py

Everything here was written for this project and is released under CC0 1.0.
"""

from __future__ import annotations

import json
import random
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
CENT = Decimal("0.01")

# --------------------------------------------------------------------------------------
# Tags of the hand-written items (the files themselves are not touched by this script).
# --------------------------------------------------------------------------------------

HAND_CONTACT: dict[int, list[str]] = {
    1: ["email", "signature", "us-phones", "distractors"],
    2: ["letter", "international", "honorifics", "distractors"],
    3: ["forwarded-thread", "signature", "uk-phones", "distractors", "first-name-only"],
    4: ["meeting-notes", "role-only", "distractors"],
    5: ["crm-note", "international", "diacritics", "distractors"],
    6: ["business-card", "international", "odd-spacing", "url-not-email"],
    7: ["attendee-list", "international", "diacritics"],
    8: ["support-ticket", "international", "distractors", "url-not-email"],
    9: ["empty", "distractors", "changelog"],
    10: ["email", "signature", "international", "diacritics", "distractors"],
    11: ["email", "international", "distractors"],
    12: ["support-ticket", "empty", "distractors"],
    13: ["letter", "ocr", "honorifics", "uk-phones"],
    14: ["email", "signature", "international", "distractors"],
    15: ["meeting-notes", "role-only", "distractors"],
    16: ["forwarded-thread", "international", "diacritics", "first-name-only"],
    17: ["crm-note", "international", "honorifics", "distractors"],
    18: ["empty", "memo", "distractors"],
    19: ["vcard", "international", "diacritics", "url-not-email"],
    20: ["email", "international", "honorifics", "diacritics", "distractors"],
    21: ["forwarded-thread", "international", "diacritics", "distractors"],
    22: ["press-release", "us-phones", "distractors"],
    23: ["business-card", "odd-spacing", "honorifics", "international", "diacritics"],
    24: ["email", "signature", "international", "distractors", "first-name-only"],
    25: ["support-ticket", "us-phones", "diacritics", "distractors"],
    26: ["chat", "url-not-email", "handle-not-email"],
    27: ["meeting-notes", "role-only", "distractors"],
    28: ["notice", "letter", "us-phones", "distractors", "role-only"],
    29: ["csv", "attendee-list", "international", "diacritics"],
    30: ["empty", "distractors", "url-not-email"],
    31: ["chat", "international", "first-name-only", "distractors"],
    32: ["letter", "honorifics", "uk-phones", "distractors"],
    33: ["empty", "first-name-only", "distractors", "url-not-email"],
    34: ["email", "honorifics", "international", "diacritics"],
    35: ["listing", "uk-phones", "distractors"],
    36: ["paper", "international", "url-not-email"],
    37: ["tender", "international", "line-wrap", "role-only"],
    38: ["fax", "ocr", "odd-spacing", "us-phones", "distractors"],
    39: ["meeting-notes", "role-only", "distractors"],
    40: ["booking", "honorifics", "international", "distractors"],
    41: ["tender", "international", "honorifics", "diacritics", "url-not-email"],
    42: ["notice", "distractors"],
    43: ["empty", "role-only", "legal"],
    44: ["email", "signature", "role-only", "us-phones"],
    45: ["list", "first-name-only", "distractors"],
    46: ["letter", "uk-phones", "honorifics", "distractors"],
}

HAND_INVOICE: dict[int, list[str]] = {
    1: ["table", "usd", "us-numbers", "tax", "due-date", "po-number", "bank-details"],
    2: ["table", "eur", "eu-numbers", "tax", "shipping", "iban", "due-date", "po-number"],
    3: ["table", "gbp", "us-numbers", "tax", "due-date", "po-number", "bank-details"],
    4: ["table", "chf", "ch-numbers", "tax", "discount", "shipping", "iban"],
    5: ["table", "jpy", "us-numbers", "multi-rate-tax", "shipping", "due-date"],
    6: ["table", "sek", "eu-numbers", "space-thousands", "tax", "due-date", "decimal-quantity"],
    7: ["email-body", "eur", "us-numbers", "no-tax", "no-subtotal", "iban", "po-number"],
    8: ["csv", "usd", "us-numbers", "tax", "shipping", "due-date"],
    9: ["receipt", "gbp", "us-numbers", "tax-inclusive"],
    10: ["ocr", "usd", "us-numbers", "table", "tax"],
    11: ["receipt", "eur", "eu-numbers", "tax-inclusive", "multi-rate-tax", "decimal-quantity"],
    12: ["table", "usd", "us-numbers", "tax", "discount", "shipping", "order-number"],
    13: ["table", "eur", "eu-numbers", "reverse-charge", "shipping", "iban", "po-number"],
    14: ["table", "cad", "us-numbers", "multi-rate-tax", "decimal-quantity"],
    15: ["table", "gbp", "us-numbers", "tax", "shipping", "due-date", "po-number", "bank-details"],
    16: ["email-body", "usd", "us-numbers", "no-tax", "no-subtotal"],
    17: ["table", "gbp", "us-numbers", "tax", "bill"],
    18: ["table", "eur", "eu-numbers", "tax-inclusive", "multi-rate-tax", "hotel"],
    19: ["table", "eur", "eu-numbers", "space-thousands", "tax", "shipping", "iban", "due-date"],
    20: ["ocr", "eur", "eu-numbers", "table", "multi-rate-tax", "shipping", "iban"],
    21: ["table", "eur", "eu-numbers", "tax"],
    22: ["table", "eur", "eu-numbers", "multi-rate-tax", "shipping", "iban"],
    23: ["table", "usd", "us-numbers", "tax", "inconsistent"],
    24: ["table", "usd", "us-numbers", "zero-tax", "discount", "due-date"],
    25: ["table", "eur", "eu-numbers", "tax", "iban", "po-number", "shipping"],
    26: ["receipt", "usd", "us-numbers", "tax", "tip-distractor"],
    27: ["email-body", "gbp", "us-numbers", "tax", "po-number", "bank-details"],
    28: ["receipt", "jpy", "us-numbers", "tax-inclusive", "multi-rate-tax", "no-subtotal"],
    29: ["table", "dkk", "eu-numbers", "tax", "due-date", "decimal-quantity"],
    30: ["table", "pln", "eu-numbers", "space-thousands", "tax", "shipping", "due-date"],
    31: ["table", "chf", "us-numbers", "tax", "discount", "shipping", "iban", "order-number"],
    32: ["receipt", "eur", "eu-numbers", "no-number", "no-tax", "no-subtotal", "decimal-quantity"],
    33: ["table", "usd", "us-numbers", "tax", "po-number"],
    34: ["email-body", "aud", "us-numbers", "tax-inclusive", "no-subtotal", "bank-details"],
    35: ["table", "aud", "us-numbers", "tax", "due-date", "bank-details"],
    36: ["table", "gbp", "us-numbers", "tax", "inconsistent"],
    37: ["csv", "eur", "eu-numbers", "tax", "due-date"],
    38: ["ocr", "sek", "eu-numbers", "receipt", "tax-inclusive"],
    39: ["table", "usd", "us-numbers", "zero-tax", "decimal-prices"],
    40: ["table", "usd", "us-numbers", "tax", "shipping", "remit-to", "order-number"],
    41: ["table", "eur", "eu-numbers", "tax", "decimal-quantity", "iban"],
    42: ["table", "gbp", "us-numbers", "tax", "bank-details"],
    43: ["table", "eur", "eu-numbers", "space-thousands", "tax", "due-date", "iban"],
    44: ["email-body", "chf", "us-numbers", "no-tax", "no-subtotal", "iban"],
    45: ["table", "jpy", "us-numbers", "tax", "due-date", "po-number", "bank-details"],
}

NOTES = {
    "invoice/023": "Printed TOTAL 619.20 is not SUBTOTAL 640.00 + TAX 51.20 (= 691.20); "
    "the gold copies the printed figures.",
    "invoice/036": "First line prints 3 x 45.00 = 145.00 (should be 135.00); the subtotal "
    "adds the printed amounts, and the gold copies them.",
}

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """'Jürgen Weiß' -> 'Jurgen Weiss' (for e-mail local parts and domains)."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    text = text.replace("æ", "ae").replace("å", "a").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def write_item(kind: str, num: int, text: str, gold: dict) -> None:
    base = HERE / kind / f"{num:03d}"
    base.with_suffix(".txt").write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    base.with_suffix(".json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------------------
# Contacts
# --------------------------------------------------------------------------------------

LOCALES: dict[str, dict] = {
    "uk": {
        "people": [
            ("Eleanor", "Whitcombe"),
            ("Rhys", "Morgan"),
            ("Amelia", "Clarke"),
            ("Callum", "Fraser"),
            ("Priya", "Chauhan"),
            ("Oliver", "Pennington"),
            ("Fiona", "MacAulay"),
            ("Tobi", "Adebayo"),
        ],
        "orgs": [
            "Thameside Analytics Ltd",
            "Hadley & Croft LLP",
            "Brackenridge Surveying Ltd",
            "Northgate Facilities plc",
        ],
        "tld": "co.uk",
        "city": "London EC2A 4NE",
        "phones": [
            lambda r: f"+44 20 7946 0{r.randint(100, 999)}",
            lambda r: f"020 7946 0{r.randint(100, 999)}",
            lambda r: f"+44 7700 900{r.randint(100, 999)}",
            lambda r: f"07700 900{r.randint(100, 999)}",
        ],
    },
    "us": {
        "people": [
            ("Brianna", "Cole"),
            ("Marcus", "Delgado"),
            ("Hannah", "Kowalski"),
            ("DeShawn", "Parker"),
            ("Emily", "Nguyen"),
            ("Robert", "Lindqvist"),
            ("Carmen", "Ortiz"),
            ("Nathan", "Goldberg"),
        ],
        "orgs": [
            "Pinecrest Logistics, Inc.",
            "Bluewater Health Partners",
            "Summit Ridge Capital LLC",
            "Ironbridge Manufacturing Co.",
        ],
        "tld": "com",
        "city": "Denver, CO 80202",
        "phones": [
            lambda r: f"(303) 555-01{r.randint(10, 99)}",
            lambda r: f"+1 415-555-01{r.randint(10, 99)}",
            lambda r: f"312.555.01{r.randint(10, 99)}",
            lambda r: f"(555) 01{r.randint(0, 9)}-{digits(r, 4)}",
        ],
    },
    "de": {
        "people": [
            ("Jürgen", "Weiß"),
            ("Sabine", "Hoffmann"),
            ("Deniz", "Yılmaz"),
            ("Katrin", "Schäfer"),
            ("Florian", "Brenner"),
            ("Anja", "Köhler"),
            ("Maximilian", "Ostermann"),
            ("Leonie", "Fuchs"),
        ],
        "orgs": [
            "Hessler Maschinenbau GmbH",
            "Rheinwerk Energie AG",
            "Brenner & Köhler KG",
            "Ostsee Logistik GmbH",
        ],
        "tld": "de",
        "city": "10115 Berlin",
        "phones": [
            lambda r: f"030 {digits(r, 7)}",
            lambda r: f"+49 (0)89 {digits(r, 4)}-{digits(r, 3)}",
            lambda r: f"0151 {digits(r, 8)}",
            lambda r: f"+49 171 {digits(r, 7)}",
        ],
    },
    "fr": {
        "people": [
            ("Camille", "Rousseau"),
            ("Étienne", "Marchand"),
            ("Inès", "Benali"),
            ("Julien", "Lefort"),
            ("Margaux", "Perrin"),
            ("Hugo", "Garnier"),
        ],
        "orgs": ["Groupe Vernier SA", "Lumen Conseil SARL", "Transports Garnier & Fils"],
        "tld": "fr",
        "city": "69003 Lyon",
        "phones": [
            lambda r: "+33 4 " + " ".join(digits(r, 2) for _ in range(4)),
            lambda r: "01 " + " ".join(digits(r, 2) for _ in range(4)),
            lambda r: "06 " + " ".join(digits(r, 2) for _ in range(4)),
        ],
    },
    "es": {
        "people": [
            ("Lucía", "Navarro"),
            ("Javier", "Ortega Ruiz"),
            ("Carmen", "Vidal"),
            ("Álvaro", "Serrano"),
        ],
        "orgs": ["Aceros del Norte S.A.", "Navarro Consultores S.L."],
        "tld": "es",
        "city": "28013 Madrid",
        "phones": [
            lambda r: f"+34 91 {digits(r, 3)} {digits(r, 2)} {digits(r, 2)}",
            lambda r: f"+34 6{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}",
        ],
    },
    "it": {
        "people": [
            ("Francesca", "Moretti"),
            ("Lorenzo", "Galli"),
            ("Chiara", "De Luca"),
            ("Matteo", "Ferraro"),
        ],
        "orgs": ["Galli Meccanica S.r.l.", "Studio Moretti & Associati"],
        "tld": "it",
        "city": "20121 Milano",
        "phones": [
            lambda r: f"+39 02 {digits(r, 4)} {digits(r, 4)}",
            lambda r: f"+39 3{digits(r, 2)} {digits(r, 3)} {digits(r, 4)}",
        ],
    },
    "nl": {
        "people": [
            ("Sanne", "de Jong"),
            ("Bram", "Visser"),
            ("Fleur", "van Dijk"),
            ("Daan", "Bakker"),
        ],
        "orgs": ["Visser Installatietechniek B.V.", "Polder Data Services B.V."],
        "tld": "nl",
        "city": "1012 AB Amsterdam",
        "phones": [
            lambda r: f"+31 20 {digits(r, 3)} {digits(r, 4)}",
            lambda r: f"06-{digits(r, 8)}",
        ],
    },
    "se": {
        "people": [
            ("Elin", "Bergström"),
            ("Oskar", "Nyström"),
            ("Maja", "Holmberg"),
            ("Linnea", "Åberg"),
        ],
        "orgs": ["Norrland Skog AB", "Bergström & Holm Advokatbyrå KB"],
        "tld": "se",
        "city": "111 52 Stockholm",
        "phones": [
            lambda r: f"+46 8 {digits(r, 3)} {digits(r, 3)} {digits(r, 2)}",
            lambda r: f"070-{digits(r, 3)} {digits(r, 2)} {digits(r, 2)}",
        ],
    },
    "jp": {
        "people": [
            ("Yuki", "Tanaka"),
            ("Haruka", "Sato"),
            ("Daisuke", "Kobayashi"),
            ("Aiko", "Yamamoto"),
        ],
        "orgs": ["Hoshino Denki K.K.", "Tanaka Trading Co., Ltd."],
        "tld": "co.jp",
        "city": "Osaka 530-0001",
        "phones": [
            lambda r: f"+81 6-{digits(r, 4)}-{digits(r, 4)}",
            lambda r: f"090-{digits(r, 4)}-{digits(r, 4)}",
        ],
    },
    "in": {
        "people": [
            ("Ananya", "Iyer"),
            ("Vikram", "Desai"),
            ("Sneha", "Kulkarni"),
            ("Rohan", "Banerjee"),
        ],
        "orgs": ["Deccan Infotech Pvt. Ltd.", "Iyer & Desai Associates"],
        "tld": "in",
        "city": "Bengaluru 560001",
        "phones": [
            lambda r: f"+91 80 {digits(r, 4)} {digits(r, 4)}",
            lambda r: f"+91 98{digits(r, 3)} {digits(r, 5)}",
        ],
    },
    "br": {
        "people": [
            ("Mariana", "Costa"),
            ("Thiago", "Oliveira"),
            ("Larissa", "Pereira"),
            ("João Pedro", "Santos"),
        ],
        "orgs": ["Oliveira Engenharia Ltda.", "Costa & Pereira Advogados"],
        "tld": "com.br",
        "city": "São Paulo - SP, 01310-100",
        "phones": [
            lambda r: f"(11) {digits(r, 4)}-{digits(r, 4)}",
            lambda r: f"+55 11 9{digits(r, 4)}-{digits(r, 4)}",
        ],
    },
    "ch": {
        "people": [
            ("Reto", "Baumgartner"),
            ("Corinne", "Zürcher"),
            ("Luca", "Bernasconi"),
            ("Nicole", "Gerber"),
        ],
        "orgs": ["Baumgartner Treuhand AG", "Alpina Präzision SA"],
        "tld": "ch",
        "city": "8001 Zürich",
        "phones": [
            lambda r: f"+41 44 {digits(r, 3)} {digits(r, 2)} {digits(r, 2)}",
            lambda r: f"079 {digits(r, 3)} {digits(r, 2)} {digits(r, 2)}",
        ],
    },
    "pl": {
        "people": [
            ("Katarzyna", "Nowak"),
            ("Paweł", "Wróbel"),
            ("Agnieszka", "Lewandowska"),
            ("Michał", "Kamiński"),
        ],
        "orgs": ["Wróbel Transport Sp. z o.o.", "Nowak i Wspólnicy Sp.k."],
        "tld": "pl",
        "city": "00-001 Warszawa",
        "phones": [
            lambda r: f"+48 22 {digits(r, 3)} {digits(r, 2)} {digits(r, 2)}",
            lambda r: f"+48 {digits(r, 3)} {digits(r, 3)} {digits(r, 3)}",
        ],
    },
    "ng": {
        "people": [
            ("Chiamaka", "Obi"),
            ("Tunde", "Balogun"),
            ("Ifeoma", "Nwachukwu"),
            ("Emeka", "Okafor"),
        ],
        "orgs": ["Balogun Agro Processing Ltd", "Niger Delta Marine Services Ltd"],
        "tld": "com.ng",
        "city": "Victoria Island, Lagos",
        "phones": [
            lambda r: f"+234 1 {digits(r, 3)} {digits(r, 4)}",
            lambda r: f"+234 80{r.randint(2, 9)} {digits(r, 3)} {digits(r, 4)}",
        ],
    },
}

TITLES = [
    "Head of Procurement",
    "Account Manager",
    "Operations Director",
    "Partner",
    "Senior Buyer",
    "Project Engineer",
    "Sales Manager, EMEA",
    "Office Manager",
    "Finance Director",
    "Technical Lead",
]

ROLES = [
    "the CFO",
    "our General Counsel",
    "the head of IT",
    "their procurement lead",
    "the site manager",
    "the finance team",
]

OCR_SWAPS = {"o": "0", "O": "0", "l": "1", "I": "l", "i": "l"}


def ocr_noise(rng: random.Random, text: str, rate: float = 0.25) -> str:
    """Swap some O/0, l/1, I/l characters, the way a cheap scan does."""
    return "".join(OCR_SWAPS[ch] if ch in OCR_SWAPS and rng.random() < rate else ch for ch in text)


class Person:
    """A generated person with a locale, an organisation and contact details."""

    def __init__(self, rng: random.Random, locale: str, given: str, family: str, org: str):
        info = LOCALES[locale]
        self.locale = locale
        self.name = f"{given} {family}"
        self.org = org
        self.domain = org_domain(org, info["tld"])
        g, f = slug(given), slug(family)
        local = [f"{g}.{f}", f"{g[0]}.{f}", f"{g[0]}{f}"][rng.randint(0, 2)]
        self.email = f"{local}@{self.domain}"
        self.title = rng.choice(TITLES)
        phones = info["phones"]
        # the first formats are landlines, the last ones mobiles (four formats: two of each)
        self.phone = rng.choice(phones[:2] if len(phones) == 4 else phones[:1])(rng)
        self.mobile = rng.choice(phones[2:] if len(phones) == 4 else phones[-1:])(rng)
        self.city = info["city"]


LEGAL_FORMS = {
    "ltd",
    "llp",
    "plc",
    "inc",
    "llc",
    "co",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "bv",
    "ab",
    "kk",
    "spzoo",
    "spk",
    "pvt",
    "ltda",
    "kb",
}


def org_domain(org: str, tld: str) -> str:
    """Domain from an organisation name: 'Norrland Skog AB' -> 'norrlandskog.se'."""
    words = [slug(word) for word in org.replace(",", " ").split()]
    words = [word for word in words if word and word not in LEGAL_FORMS]
    return "".join(words[:2]) + "." + tld


def pick_people(
    rng: random.Random, count: int, locales: list[str] | None = None, same_org: bool = False
) -> list[Person]:
    """Distinct people from the given (or random) locales, each with an organisation."""
    chosen: list[Person] = []
    names: set[str] = set()
    orgs_used: dict[str, str] = {}
    while len(chosen) < count:
        locale = rng.choice(locales or sorted(LOCALES))
        given, family = rng.choice(LOCALES[locale]["people"])
        if f"{given} {family}" in names:
            continue
        org = orgs_used.get(locale) if (same_org or rng.random() < 0.3) else None
        org = org or rng.choice(LOCALES[locale]["orgs"])
        orgs_used[locale] = org
        names.add(f"{given} {family}")
        chosen.append(Person(rng, locale, given, family, org))
    return chosen


def ref(rng: random.Random) -> str:
    """A reference number that is not a phone number (but may look like one)."""
    kinds = [
        lambda: f"order #{digits(rng, 4)}-{digits(rng, 4)}-{digits(rng, 4)}",
        lambda: f"PO {rng.randint(4500000000, 4509999999)}",
        lambda: f"invoice INV-2024-{digits(rng, 5)}",
        lambda: f"ticket {rng.randint(10000, 99999)}",
        lambda: f"contract {digits(rng, 3)} {digits(rng, 3)} {digits(rng, 4)}",
    ]
    return rng.choice(kinds)()


def amount(rng: random.Random) -> str:
    kinds = [
        lambda: f"EUR {rng.randint(1, 40)}.{digits(rng, 3)},00",
        lambda: f"${rng.randint(1, 90)},{digits(rng, 3)}.{digits(rng, 2)}",
        lambda: f"£{rng.randint(2, 60)},{digits(rng, 1)}00",
    ]
    return rng.choice(kinds)()


def version(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 40)}"


def dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def contacts_gold(people: list[str], emails: list[str], phones: list[str], orgs: list[str]):
    return {
        "people": dedupe(people),
        "emails": dedupe(emails),
        "phones": dedupe(phones),
        "organizations": dedupe(orgs),
    }


def gen_business_card(rng: random.Random, ocr: bool) -> tuple[str, dict, list[str]]:
    (p,) = pick_people(rng, 1)
    pad = "   " if rng.random() < 0.5 else " "
    labels = ["Tel", "Mobile", "E-mail", "Web"]
    if ocr:
        labels = [ocr_noise(rng, label, 0.6) for label in labels]
    lines = [
        p.org.upper() if rng.random() < 0.4 else p.org,
        "",
        p.name,
        ocr_noise(rng, p.title) if ocr else p.title,
        "",
        f"{labels[0]}:{pad}{p.phone}",
        f"{labels[1]}:{pad}{p.mobile}",
        f"{labels[2]}:{pad}{p.email}",
        f"{labels[3]}:{pad}www.{p.domain}",
        "",
        ocr_noise(rng, p.city) if ocr else p.city,
    ]
    text = "\n".join(("  " + line) if line else "" for line in lines)
    org = lines[0]
    gold = contacts_gold([p.name], [p.email], [p.phone, p.mobile], [org])
    tags = ["business-card", "generated", "international"] + (["ocr"] if ocr else [])
    return text, gold, tags


def gen_signature_email(rng: random.Random) -> tuple[str, dict, list[str]]:
    sender, recipient, third = pick_people(rng, 3)
    topic = rng.choice(
        [
            "the revised quote",
            "next week's site visit",
            "the Q3 renewal",
            "the delivery schedule",
            "the framework agreement",
        ]
    )
    role = rng.choice(ROLES)
    first = recipient.name.split()[0]
    body = [
        f"From: {sender.name} <{sender.email}>",
        f"To: {recipient.email}",
        f"Subject: Re: {topic}",
        "",
        f"Dear {first},",
        "",
        f"thanks for your message about {topic} ({ref(rng)}). I have checked with {role}",
        f"and we can confirm the figure of {amount(rng)} we discussed on the phone.",
        f"For anything technical please contact {third.name} ({third.org}) directly on",
        f"{third.phone} or at {third.email}; they are on release {version(rng)} as well.",
        "",
        "Kind regards",
        "",
        sender.name,
        sender.title,
        sender.org,
        f"Phone {sender.phone} | Mobile {sender.mobile}",
        f"https://www.{sender.domain}/contact",
    ]
    gold = contacts_gold(
        [sender.name, third.name],
        [sender.email, recipient.email, third.email],
        [third.phone, sender.phone, sender.mobile],
        [third.org, sender.org],
    )
    tags = [
        "email",
        "signature",
        "generated",
        "international",
        "role-only",
        "distractors",
        "first-name-only",
    ]
    return "\n".join(body), gold, tags


def gen_attendee_list(rng: random.Random) -> tuple[str, dict, list[str]]:
    people = pick_people(rng, rng.randint(5, 8))
    event = rng.choice(
        [
            "Supplier Day 2024",
            "Annual Partner Forum",
            "Logistics Roundtable",
            "Water Tech Workshop",
            "Procurement Summit Europe",
        ]
    )
    with_phone = rng.random() < 0.5
    header = f"{'Name':<26}  {'Organisation':<34}  {'Email':<38}" + (
        "  Phone" if with_phone else ""
    )
    rows = [
        f"{p.name:<26}  {p.org:<34}  {p.email:<38}" + (f"  {p.phone}" if with_phone else "")
        for p in people
    ]
    text = "\n".join(
        [
            f"{event.upper()} - REGISTERED PARTICIPANTS",
            f"Status as of {rng.randint(2, 27)}"
            f".0{rng.randint(1, 9)}.2024, {len(people)} participants",
            "",
            header,
            "-" * len(header),
            *rows,
            "",
            "Catering: please inform us of dietary requirements.",
        ]
    )
    gold = contacts_gold(
        [p.name for p in people],
        [p.email for p in people],
        [p.phone for p in people] if with_phone else [],
        [p.org for p in people],
    )
    return text, gold, ["attendee-list", "generated", "international", "diacritics"]


def gen_crm_note(rng: random.Random) -> tuple[str, dict, list[str]]:
    contact, colleague = pick_people(rng, 2, [rng.choice(sorted(LOCALES))], same_org=True)
    owner = rng.choice(["Alex Morgan", "Sam Whitfield", "Jo Hartmann", "Kim Larsen"])
    day = rng.randint(1, 28)
    lines = [
        f"Account: {contact.org}",
        f"Owner: {owner}",
        "",
        f"2024-0{rng.randint(1, 9)}-{day:02d}  Call with {contact.name} ({contact.title}).",
        f"  Interested in the premium tier; current spend approx. {amount(rng)}/yr.",
        f"  Wants {role_line(rng)} to join the next call.",
        f"  Best reached on {contact.mobile}; office {contact.phone}.",
        f"2024-1{rng.randint(0, 2)}-{day:02d}  Email from {colleague.name} <{colleague.email}>: "
        f"asks for the",
        f"  updated proposal, reference {ref(rng)}. Next step: send proposal.",
    ]
    gold = contacts_gold(
        [owner, contact.name, colleague.name],
        [colleague.email],
        [contact.mobile, contact.phone],
        [contact.org],
    )
    return (
        "\n".join(lines),
        gold,
        ["crm-note", "generated", "international", "role-only", "distractors"],
    )


def role_line(rng: random.Random) -> str:
    return rng.choice(ROLES)


def gen_empty(rng: random.Random) -> tuple[str, dict, list[str]]:
    role = rng.choice(ROLES)
    text = "\n".join(
        [
            "Release & maintenance notice",
            "",
            f"Scheduled maintenance window: 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"22:00-02:00 CET.",
            f"Affected: API gateway (release {version(rng)}), reporting service, exports.",
            f"Reference for all questions: {ref(rng)}; status page https://status.example.com.",
            f"Approved by {role}. Rollback plan attached as appendix B "
            f"(build 2024.{digits(rng, 4)}).",
            "No action is needed from customers.",
        ]
    )
    return text, contacts_gold([], [], [], []), ["empty", "generated", "distractors"]


def generate_contacts(start: int) -> list[dict]:
    rng = random.Random(20240601)
    plan = (
        ["card"] * 3
        + ["card-ocr"] * 2
        + ["email"] * 4
        + ["attendees"] * 3
        + ["crm"] * 3
        + ["empty"]
    )
    entries = []
    for offset, kind in enumerate(plan):
        num = start + offset
        if kind == "card":
            text, gold, tags = gen_business_card(rng, ocr=False)
        elif kind == "card-ocr":
            text, gold, tags = gen_business_card(rng, ocr=True)
        elif kind == "email":
            text, gold, tags = gen_signature_email(rng)
        elif kind == "attendees":
            text, gold, tags = gen_attendee_list(rng)
        elif kind == "crm":
            text, gold, tags = gen_crm_note(rng)
        else:
            text, gold, tags = gen_empty(rng)
        write_item("contact", num, text, gold)
        entries.append(entry("contact", num, tags))
    return entries


# --------------------------------------------------------------------------------------
# Invoices
# --------------------------------------------------------------------------------------


def fmt_number(value: Decimal, style: str, places: int = 2) -> str:
    """Group with the locale's separators.

    us 1,234.56 | eu 1.234,56 | ch 1'234.56 | se 1 234,56
    """
    text = f"{value:,.{places}f}"
    if style == "eu":
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    if style == "ch":
        return text.replace(",", "'")
    if style == "se":
        return text.replace(",", " ").replace(".", ",")
    return text


def fmt_qty(value: Decimal, style: str) -> str:
    if value == value.to_integral_value():
        return fmt_number(value, style, 0)
    return fmt_number(value, style, 2 if value * 10 % 1 else 1)


INVOICE_LOCALES: dict[str, dict] = {
    "us": {
        "lang": "en",
        "currency": "USD",
        "style": "us",
        "tax": Decimal("0.0725"),
        "tax_label": "Sales tax 7.25%",
        "date": "{m:02d}/{d:02d}/{y}",
        "prefix": "INV",
        "labels": (
            "Invoice",
            "Date",
            "Due",
            "Qty",
            "Unit price",
            "Amount",
            "Subtotal",
            "Total due",
            "Description",
        ),
        "words": {
            "customer_no": "Customer no.",
            "po": "PO",
            "ship": "Shipping & handling",
            "discount": "Discount 5%",
            "freight": "Freight and packaging",
            "page": "Page {p} of {n}",
            "carried": "Carried forward",
            "brought": "Brought forward from page {q}",
        },
    },
    "uk": {
        "lang": "en",
        "currency": "GBP",
        "style": "us",
        "tax": Decimal("0.20"),
        "tax_label": "VAT @ 20%",
        "date": "{d:02d}/{m:02d}/{y}",
        "prefix": "INV",
        "labels": (
            "Invoice no.",
            "Invoice date",
            "Due date",
            "Qty",
            "Unit £",
            "Net £",
            "Net total",
            "Total",
            "Description",
        ),
        "words": {
            "customer_no": "Account",
            "po": "Your order",
            "ship": "Delivery",
            "discount": "Discount 5%",
            "freight": "Carriage and packaging",
            "page": "Page {p} of {n}",
            "carried": "Carried forward",
            "brought": "Brought forward from page {q}",
        },
    },
    "de": {
        "lang": "de",
        "currency": "EUR",
        "style": "eu",
        "tax": Decimal("0.19"),
        "tax_label": "zzgl. 19 % USt.",
        "date": "{d:02d}.{m:02d}.{y}",
        "prefix": "RE",
        "labels": (
            "Rechnung Nr.",
            "Rechnungsdatum",
            "Fällig am",
            "Menge",
            "Einzelpreis €",
            "Gesamt €",
            "Nettobetrag",
            "Rechnungsbetrag",
            "Bezeichnung",
        ),
        "words": {
            "customer_no": "Kundennr.",
            "po": "Ihre Bestellung",
            "ship": "Versandkosten",
            "discount": "Rabatt 5 %",
            "freight": "Fracht und Verpackung",
            "page": "Seite {p} von {n}",
            "carried": "Übertrag",
            "brought": "Übertrag von Seite {q}",
        },
    },
    "ch": {
        "lang": "de",
        "currency": "CHF",
        "style": "ch",
        "tax": Decimal("0.081"),
        "tax_label": "MWST 8.1 %",
        "date": "{d:02d}.{m:02d}.{y}",
        "prefix": "R",
        "labels": (
            "Rechnung Nr.",
            "Datum",
            "Zahlbar bis",
            "Menge",
            "Preis CHF",
            "Betrag CHF",
            "Zwischentotal",
            "Total",
            "Bezeichnung",
        ),
        "words": {
            "customer_no": "Kunden-Nr.",
            "po": "Ihre Bestellung",
            "ship": "Versand",
            "discount": "Rabatt 5 %",
            "freight": "Fracht und Verpackung",
            "page": "Seite {p} von {n}",
            "carried": "Übertrag",
            "brought": "Übertrag von Seite {q}",
        },
    },
    "se": {
        "lang": "sv",
        "currency": "SEK",
        "style": "se",
        "tax": Decimal("0.25"),
        "tax_label": "Moms 25 %",
        "date": "{y}-{m:02d}-{d:02d}",
        "prefix": "F",
        "labels": (
            "Fakturanr",
            "Fakturadatum",
            "Förfallodatum",
            "Antal",
            "À-pris",
            "Belopp",
            "Summa exkl. moms",
            "Att betala",
            "Beskrivning",
        ),
        "words": {
            "customer_no": "Kundnr",
            "po": "Er beställning",
            "ship": "Frakt",
            "discount": "Rabatt 5 %",
            "freight": "Frakt och emballage",
            "page": "Sida {p} av {n}",
            "carried": "Att överföra",
            "brought": "Överfört från sida {q}",
        },
    },
    "fr": {
        "lang": "fr",
        "currency": "EUR",
        "style": "se",
        "tax": Decimal("0.20"),
        "tax_label": "TVA 20 %",
        "date": "{d:02d}/{m:02d}/{y}",
        "prefix": "FA",
        "labels": (
            "Facture n°",
            "Date de facture",
            "Échéance",
            "Qté",
            "P.U. HT",
            "Montant HT",
            "Total HT",
            "Total TTC",
            "Désignation",
        ),
        "words": {
            "customer_no": "N° client",
            "po": "Bon de commande",
            "ship": "Frais de port",
            "discount": "Remise 5 %",
            "freight": "Transport et emballage",
            "page": "Page {p} sur {n}",
            "carried": "À reporter",
            "brought": "Report de la page {q}",
        },
    },
}

# (price, hourly?, {language: description})
CATALOG: dict[str, list[tuple[str, bool, dict[str, str]]]] = {
    "office": [
        (
            "31.90",
            False,
            {
                "en": "Copy paper A4 80 g, box of 5 reams",
                "de": "Kopierpapier A4 80 g, Karton à 5 Pack",
                "fr": "Papier A4 80 g, carton de 5 ramettes",
                "sv": "Kopieringspapper A4 80 g, kartong à 5 paket",
            },
        ),
        (
            "89.00",
            False,
            {
                "en": "Toner cartridge, black",
                "de": "Tonerkartusche schwarz",
                "fr": "Cartouche de toner noir",
                "sv": "Tonerkassett svart",
            },
        ),
        (
            "24.50",
            False,
            {
                "en": "Lever arch files, pack of 10",
                "de": "Ordner 8 cm, 10 Stück",
                "fr": "Classeurs à levier, lot de 10",
                "sv": "Pärmar, 10-pack",
            },
        ),
        (
            "289.00",
            False,
            {
                "en": "Desk chair, ergonomic",
                "de": "Bürodrehstuhl, ergonomisch",
                "fr": "Fauteuil de bureau ergonomique",
                "sv": "Kontorsstol, ergonomisk",
            },
        ),
        (
            "6.80",
            False,
            {
                "en": "Whiteboard markers, set of 4",
                "de": "Whiteboard-Marker, 4er-Set",
                "fr": "Marqueurs tableau blanc, lot de 4",
                "sv": "Whiteboardpennor, 4-pack",
            },
        ),
        (
            "119.00",
            False,
            {
                "en": "Monitor arm, dual",
                "de": "Monitorhalterung, zweifach",
                "fr": "Bras d'écran double",
                "sv": "Monitorarm, dubbel",
            },
        ),
        (
            "249.00",
            False,
            {
                "en": "Document shredder P-4",
                "de": "Aktenvernichter P-4",
                "fr": "Destructeur de documents P-4",
                "sv": "Dokumentförstörare P-4",
            },
        ),
        (
            "9.95",
            False,
            {
                "en": "Sticky notes 76 x 76, 12 pads",
                "de": "Haftnotizen 76 x 76, 12 Blöcke",
                "fr": "Notes adhésives 76 x 76, 12 blocs",
                "sv": "Notisblock 76 x 76, 12 st",
            },
        ),
    ],
    "tools": [
        (
            "179.00",
            False,
            {
                "en": "Cordless drill 18 V",
                "de": "Akku-Bohrschrauber 18 V",
                "fr": "Perceuse-visseuse sans fil 18 V",
                "sv": "Borrskruvdragare 18 V",
            },
        ),
        (
            "34.90",
            False,
            {
                "en": "Drill bit set HSS, 19 pcs",
                "de": "HSS-Bohrer-Set, 19-tlg.",
                "fr": "Coffret de forets HSS, 19 pcs",
                "sv": "Borrsats HSS, 19 delar",
            },
        ),
        (
            "4.20",
            False,
            {
                "en": "Safety gloves, size 10 (pair)",
                "de": "Schutzhandschuhe Gr. 10 (Paar)",
                "fr": "Gants de protection T10 (paire)",
                "sv": "Skyddshandskar stl 10 (par)",
            },
        ),
        (
            "129.00",
            False,
            {
                "en": "Torque wrench 40-200 Nm",
                "de": "Drehmomentschlüssel 40-200 Nm",
                "fr": "Clé dynamométrique 40-200 Nm",
                "sv": "Momentnyckel 40-200 Nm",
            },
        ),
        (
            "18.40",
            False,
            {
                "en": "Hex bolt M10 x 60, box of 50",
                "de": "Sechskantschraube M10 x 60, 50 Stück",
                "fr": "Vis hexagonale M10 x 60, boîte de 50",
                "sv": "Sexkantskruv M10 x 60, 50 st",
            },
        ),
        (
            "7.60",
            False,
            {
                "en": "Cable ties 300 mm, pack of 100",
                "de": "Kabelbinder 300 mm, 100 Stück",
                "fr": "Colliers de serrage 300 mm, sachet de 100",
                "sv": "Buntband 300 mm, 100-pack",
            },
        ),
        (
            "46.00",
            False,
            {
                "en": "Spirit level 120 cm",
                "de": "Wasserwaage 120 cm",
                "fr": "Niveau à bulle 120 cm",
                "sv": "Vattenpass 120 cm",
            },
        ),
        (
            "98.50",
            False,
            {
                "en": "Angle grinder 125 mm",
                "de": "Winkelschleifer 125 mm",
                "fr": "Meuleuse d'angle 125 mm",
                "sv": "Vinkelslip 125 mm",
            },
        ),
    ],
    "services": [
        (
            "85.00",
            True,
            {
                "en": "Technician labour (hours)",
                "de": "Arbeitszeit Techniker (Std.)",
                "fr": "Main-d'œuvre technicien (heures)",
                "sv": "Arbetstid tekniker (tim)",
            },
        ),
        (
            "65.00",
            False,
            {
                "en": "Call-out charge",
                "de": "Anfahrtspauschale",
                "fr": "Frais de déplacement",
                "sv": "Utryckningsavgift",
            },
        ),
        (
            "420.00",
            False,
            {
                "en": "Annual maintenance inspection",
                "de": "Jährliche Wartung",
                "fr": "Visite de maintenance annuelle",
                "sv": "Årlig service",
            },
        ),
        (
            "110.00",
            True,
            {
                "en": "Project management (hours)",
                "de": "Projektleitung (Std.)",
                "fr": "Gestion de projet (heures)",
                "sv": "Projektledning (tim)",
            },
        ),
        (
            "540.00",
            False,
            {
                "en": "On-site training (half day)",
                "de": "Schulung vor Ort (halber Tag)",
                "fr": "Formation sur site (demi-journée)",
                "sv": "Utbildning på plats (halvdag)",
            },
        ),
        (
            "55.00",
            True,
            {
                "en": "Travel time (hours)",
                "de": "Reisezeit (Std.)",
                "fr": "Temps de trajet (heures)",
                "sv": "Restid (tim)",
            },
        ),
    ],
    "catering": [
        ("18.50", False, {"en": "Buffet lunch (per person)"}),
        ("7.20", False, {"en": "Coffee & pastries (per person)"}),
        ("3.90", False, {"en": "Sparkling water 0.75 l"}),
        ("12.00", False, {"en": "Table linen hire"}),
        ("28.00", True, {"en": "Waiting staff (hours)"}),
        ("14.00", False, {"en": "Canapé selection (per person)"}),
    ],
    "it": [
        (
            "1489.00",
            False,
            {
                "en": 'Laptop 14" i7 / 32 GB / 1 TB',
                "de": 'Notebook 14" i7 / 32 GB / 1 TB',
                "fr": 'Ordinateur portable 14" i7 / 32 Go / 1 To',
                "sv": 'Bärbar dator 14" i7 / 32 GB / 1 TB',
            },
        ),
        (
            "219.00",
            False,
            {
                "en": "USB-C docking station",
                "de": "USB-C-Dockingstation",
                "fr": "Station d'accueil USB-C",
                "sv": "USB-C-dockningsstation",
            },
        ),
        (
            "189.00",
            False,
            {
                "en": '24" monitor, IPS',
                "de": 'Monitor 24", IPS',
                "fr": 'Écran 24", IPS',
                "sv": 'Bildskärm 24", IPS',
            },
        ),
        (
            "59.90",
            False,
            {
                "en": "Wireless keyboard & mouse set",
                "de": "Funk-Tastatur-Maus-Set",
                "fr": "Ensemble clavier et souris sans fil",
                "sv": "Trådlöst tangentbord och mus",
            },
        ),
        (
            "4.90",
            False,
            {
                "en": "Cat6 patch cable 3 m",
                "de": "Patchkabel Cat6, 3 m",
                "fr": "Câble réseau Cat6, 3 m",
                "sv": "Patchkabel Cat6, 3 m",
            },
        ),
        (
            "349.00",
            False,
            {
                "en": "Network switch, 24 ports",
                "de": "Netzwerk-Switch, 24 Ports",
                "fr": "Commutateur réseau, 24 ports",
                "sv": "Nätverksswitch, 24 portar",
            },
        ),
        (
            "12.00",
            False,
            {
                "en": "Managed backup, per device/month",
                "de": "Managed Backup, je Gerät/Monat",
                "fr": "Sauvegarde gérée, par poste/mois",
                "sv": "Hanterad backup, per enhet/månad",
            },
        ),
        (
            "75.00",
            False,
            {
                "en": "Setup and imaging (per device)",
                "de": "Einrichtung und Imaging (je Gerät)",
                "fr": "Installation et déploiement (par poste)",
                "sv": "Installation och imaging (per enhet)",
            },
        ),
        (
            "79.00",
            False,
            {
                "en": "Webcam 1080p",
                "de": "Webcam 1080p",
                "fr": "Webcam 1080p",
                "sv": "Webbkamera 1080p",
            },
        ),
        (
            "129.00",
            False,
            {
                "en": "Headset, noise cancelling",
                "de": "Headset mit Geräuschunterdrückung",
                "fr": "Casque à réduction de bruit",
                "sv": "Headset, brusreducerande",
            },
        ),
    ],
}

SITES = {
    "en": [
        "Building A",
        "Building B",
        "Warehouse",
        "Reception",
        "Lab 1",
        "Lab 2",
        "Floor 3 East",
        "Floor 3 West",
        "Floor 4",
        "Workshop",
        "Training room",
        "Meeting rooms",
    ],
    "de": [
        "Gebäude A",
        "Gebäude B",
        "Lager",
        "Empfang",
        "Labor 1",
        "Labor 2",
        "3. OG Ost",
        "3. OG West",
        "4. OG",
        "Werkstatt",
        "Schulungsraum",
        "Besprechungsräume",
    ],
    "sv": [
        "Hus A",
        "Hus B",
        "Lager",
        "Reception",
        "Labb 1",
        "Labb 2",
        "Plan 3 öst",
        "Plan 3 väst",
        "Plan 4",
        "Verkstad",
        "Utbildningssal",
        "Mötesrum",
    ],
}


def pick_qty(rng: random.Random, hourly: bool, desc: str) -> Decimal:
    if hourly:
        return Decimal(rng.choice(["1.5", "2", "3", "4.5", "6", "7.5", "8"]))
    if "person" in desc:
        return Decimal(rng.choice([12, 18, 25, 40]))
    return Decimal(rng.choice([1, 1, 2, 3, 4, 5, 6, 10, 12, 20]))


def make_lines(rng: random.Random, catalog: str, lang: str, count: int):
    """(description, qty, unit price, amount) tuples as Decimals, distinct descriptions."""
    items = rng.sample(CATALOG[catalog], k=min(count, len(CATALOG[catalog])))
    lines = []
    for price, hourly, names in items:
        qty = pick_qty(rng, hourly, names["en"])
        unit = Decimal(price)
        lines.append((names[lang], qty, unit, money(qty * unit)))
    return lines


def invoice_gold(vendor, number, date, currency, lines, subtotal, tax, total) -> dict:
    return {
        "vendor": vendor,
        "invoice_number": number,
        "date": date,
        "currency": currency,
        "line_items": [
            {"description": d, "quantity": float(q), "unit_price": float(u), "amount": float(a)}
            for d, q, u, a in lines
        ],
        "subtotal": None if subtotal is None else float(subtotal),
        "tax": None if tax is None else float(tax),
        "total": float(total),
    }


def desc_width(lines) -> int:
    return max(len(d) for d, *_ in lines) + 2


def table_head(lab: tuple, width: int, pos: bool = False) -> list[str]:
    lead = f"{'Pos':<5}" if pos else ""
    head = f"{lead}{lab[8]:<{width}}{lab[3]:>8}{lab[4]:>15}{lab[5]:>15}"
    return [head, "-" * len(head)]


def table_rows(lines, style: str, width: int) -> list[str]:
    return [
        f"{d:<{width}}{fmt_qty(q, style):>8}{fmt_number(u, style):>15}{fmt_number(a, style):>15}"
        for d, q, u, a in lines
    ]


def sum_row(label: str, value: Decimal, style: str, width: int) -> str:
    return f"{label:<{width + 23}}{fmt_number(value, style):>15}"


def fake_iban(rng: random.Random, country: str) -> str:
    if country == "CH":
        return (
            f"CH{digits(rng, 2)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)} "
            f"{digits(rng, 4)} {digits(rng, 1)}"
        )
    return (
        f"{country}{digits(rng, 2)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)} "
        f"{digits(rng, 4)} {digits(rng, 2)}"
    )


SHORT_SPECS = [
    # locale, catalog, options, vendor, vendor address, customer block
    (
        "us",
        "office",
        {"shipping", "po", "due"},
        "Granite Peak Office Supply Co.",
        "1450 Blake St, Denver, CO 80202",
        "Bill to: Front Range Dental Partners, 88 Pearl St, Boulder, CO 80302",
    ),
    (
        "uk",
        "catering",
        {"due", "po"},
        "Calder & Hume Events Ltd",
        "12 Wharf Street, Sowerby Bridge HX6 2AF · VAT No. GB 284 1190 55",
        "Bill to: Pennine Housing Association, 5 Square Road, Halifax HX1 1QG",
    ),
    (
        "de",
        "tools",
        {"discount", "shipping", "iban", "due"},
        "Brenner Werkzeughandel GmbH",
        "Industriestraße 18 · 73037 Göppingen · USt-IdNr. DE 311 452 876",
        "Schwab Metallbau GmbH, Im Gewerbepark 3, 73035 Göppingen",
    ),
    (
        "ch",
        "services",
        {"due", "iban"},
        "Aare Gebäudetechnik GmbH",
        "Werkstrasse 9 · 3084 Wabern · CHE-318.442.907 MWST",
        "Stockwerkeigentümergemeinschaft Lindenhof, Lindenweg 4, 3007 Bern",
    ),
    (
        "se",
        "it",
        {"shipping", "due"},
        "Mälardalens El & Data AB",
        "Kungsgatan 31, 722 11 Västerås · Org.nr 556741-2290",
        "Västerås Tandvård AB, Stora Torget 2, 722 15 Västerås",
    ),
    (
        "fr",
        "services",
        {"discount", "due"},
        "Provence Maintenance SAS",
        "14 avenue du Prado, 13006 Marseille · SIRET 853 210 447 00019",
        "Client : Résidence Les Calanques, 2 traverse de la Jarre, 13009 Marseille",
    ),
    (
        "us",
        "services",
        {"no-tax"},
        "Redstone Facility Services Inc.",
        "600 W 3rd St, Tulsa, OK 74103",
        "Bill to: Arkansas River Brewing Co., 1200 E 11th St, Tulsa, OK 74120",
    ),
    (
        "de",
        "it",
        {"po", "iban"},
        "Elbe IT-Systemhaus GmbH",
        "Ostra-Allee 9 · 01067 Dresden · USt-IdNr. DE 298 004 113",
        "Steuerkanzlei Richter & Lang, Prager Straße 4, 01069 Dresden",
    ),
]

IBAN_COUNTRY = {"de": "DE", "ch": "CH", "fr": "FR", "se": "SE", "us": "US", "uk": "GB"}


def gen_short_invoice(rng: random.Random, spec: tuple):
    locale, catalog, options, vendor, address, customer = spec
    info = INVOICE_LOCALES[locale]
    style, cur, lab, words = info["style"], info["currency"], info["labels"], info["words"]
    y, m, d = 2024, rng.randint(1, 12), rng.randint(1, 28)
    number = f"{info['prefix']}-{y}-{rng.randint(100, 9999):04d}"
    lines = make_lines(rng, catalog, info["lang"], rng.randint(3, 6))
    tags = [
        "table",
        "generated",
        cur.lower(),
        *(["eu-numbers", "space-thousands"] if style == "se" else [f"{style}-numbers"]),
    ]
    if "discount" in options:
        disc = -money(sum(a for *_, a in lines) * Decimal("0.05"))
        lines.append((words["discount"], Decimal(1), disc, disc))
        tags.append("discount")
    if "shipping" in options:
        ship = Decimal(rng.choice(["9.90", "14.50", "24.00", "39.00"]))
        lines.append((words["ship"], Decimal(1), ship, ship))
        tags.append("shipping")
    subtotal = sum(a for *_, a in lines)
    tax = None if "no-tax" in options else money(subtotal * info["tax"])
    total = subtotal + (tax or 0)
    tags.append("no-tax" if tax is None else "tax")
    head = [
        vendor,
        address,
        "",
        customer,
        "",
        f"{lab[0]}: {number}",
        f"{lab[1]}: {info['date'].format(y=y, m=m, d=d)}",
    ]
    if "due" in options:
        head.append(f"{lab[2]}: {info['date'].format(y=y + (m == 12), m=m % 12 + 1, d=d)}")
        tags.append("due-date")
    if "po" in options:
        head.append(f"{words['po']}: {rng.randint(4500000000, 4509999999)}")
        tags.append("po-number")
    width = desc_width(lines)
    rule = "-" * (width + 38)
    foot = [rule, sum_row(lab[6], subtotal, style, width)]
    if tax is not None:
        foot.append(sum_row(info["tax_label"], tax, style, width))
    foot.append(sum_row(f"{lab[7]} {cur}", total, style, width))
    if "iban" in options:
        foot += ["", f"IBAN {fake_iban(rng, IBAN_COUNTRY[locale])}"]
        tags.append("iban")
    if tax is None:
        foot += ["", "Services only - no sales tax charged."]
    table = [*table_head(lab, width), *table_rows(lines, style, width)]
    text = "\n".join([*head, "", *table, *foot])
    gold = invoice_gold(vendor, number, f"{y}-{m:02d}-{d:02d}", cur, lines, subtotal, tax, total)
    return text, gold, tags


LONG_SPECS = [
    # locale, catalogs, seed, vendor, vendor address, title
    (
        "us",
        ["office", "it", "tools"],
        11,
        "Granite Peak Office Supply Co.",
        "1450 Blake St, Denver, CO 80202",
        "Quarterly office & IT replenishment, Q3 2024",
    ),
    (
        "de",
        ["tools", "services", "office"],
        12,
        "Hanse Technik-Service GmbH",
        "Grevenweg 70 · 20537 Hamburg · USt-IdNr. DE 274 110 932",
        "Instandhaltung Werk 2",
    ),
    (
        "uk",
        ["catering", "services", "office"],
        13,
        "Calder & Hume Events Ltd",
        "12 Wharf Street, Sowerby Bridge HX6 2AF · VAT No. GB 284 1190 55",
        "Conference services, 3-5 September",
    ),
    (
        "ch",
        ["it", "services", "tools"],
        14,
        "Zürcher Elektro AG",
        "Hohlstrasse 210 · 8004 Zürich · CHE-105.227.418 MWST",
        "Ausstattung Standort Winterthur",
    ),
    (
        "se",
        ["office", "it", "services"],
        15,
        "Mälardalens El & Data AB",
        "Kungsgatan 31, 722 11 Västerås · Org.nr 556741-2290",
        "Kontorsflytt och IT-installation",
    ),
]


def long_lines(rng: random.Random, catalogs: list[str], lang: str):
    """Many distinct lines: catalog items, each delivered to several sites."""
    pool = []
    for catalog in catalogs:
        for price, hourly, names in CATALOG[catalog]:
            desc = names.get(lang, names["en"])
            for site in rng.sample(SITES[lang if lang in SITES else "en"], k=5):
                pool.append((f"{desc} - {site}", price, hourly, names["en"]))
    rng.shuffle(pool)
    for desc, price, hourly, english in pool:
        qty = pick_qty(rng, hourly, english)
        unit = Decimal(price)
        yield desc, qty, unit, money(qty * unit)


def gen_long_invoice(num: int, spec: tuple) -> dict:
    locale, catalogs, seed, vendor, address, title = spec
    rng = random.Random(seed)
    info = INVOICE_LOCALES[locale]
    style, cur, lab, words = info["style"], info["currency"], info["labels"], info["words"]
    y, m, d = 2024, rng.randint(1, 12), rng.randint(1, 28)
    number = f"{info['prefix']}-{y}-{rng.randint(1000, 9999)}"
    date = info["date"].format(y=y, m=m, d=d)
    per_page = 26
    source = long_lines(rng, catalogs, info["lang"])
    lines = [next(source) for _ in range(rng.randint(62, 90))]
    if len(lines) % per_page == 0:
        lines.append(next(source))
    ship = Decimal(rng.choice(["45.00", "89.00", "120.00"]))
    lines.append((words["freight"], Decimal(1), ship, ship))
    subtotal = sum(a for *_, a in lines)
    tax = money(subtotal * info["tax"])
    total = subtotal + tax
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    width = desc_width(lines)
    out: list[str] = []
    running = Decimal(0)
    for index, chunk in enumerate(pages, start=1):
        out += [
            f"{vendor:<{width}}{words['page'].format(p=index, n=len(pages)):>43}",
            f"{lab[0]}: {number}    {lab[1]}: {date}",
        ]
        if index == 1:
            out += [
                address,
                "",
                title,
                f"{words['customer_no']}: {rng.randint(10000, 99999)} · "
                f"{words['po']}: {rng.randint(4500000000, 4509999999)}",
            ]
        out += ["", *table_head(lab, width, pos=True)]
        if index > 1:
            out.append(
                f"{'':<5}" + sum_row(words["brought"].format(q=index - 1), running, style, width)
            )
        start = (index - 1) * per_page
        rows = table_rows(chunk, style, width)
        out += [f"{start + i + 1:<5}{row}" for i, row in enumerate(rows)]
        running += sum(a for *_, a in chunk)
        out.append("-" * (width + 43))
        if index < len(pages):
            out += [f"{'':<5}" + sum_row(words["carried"], running, style, width), "", "\f"]
    due = info["date"].format(y=y + (m == 12), m=m % 12 + 1, d=d)
    out += [
        f"{'':<5}" + sum_row(lab[6], subtotal, style, width),
        f"{'':<5}" + sum_row(info["tax_label"], tax, style, width),
        f"{'':<5}" + sum_row(f"{lab[7]} {cur}", total, style, width),
        "",
        f"{lab[2]}: {due}",
    ]
    text = "\n".join(out)
    gold = invoice_gold(vendor, number, f"{y}-{m:02d}-{d:02d}", cur, lines, subtotal, tax, total)
    tags = [
        "long",
        "multi-page",
        "table",
        "generated",
        cur.lower(),
        "shipping",
        "due-date",
        "po-number",
        "carried-forward",
        *(["eu-numbers", "space-thousands"] if style == "se" else [f"{style}-numbers"]),
    ]
    write_item("invoice", num, text, gold)
    return entry("invoice", num, tags)


def generate_invoices(start: int) -> list[dict]:
    rng = random.Random(20240602)
    entries = []
    num = start
    for spec in SHORT_SPECS:
        text, gold, tags = gen_short_invoice(rng, spec)
        write_item("invoice", num, text, gold)
        entries.append(entry("invoice", num, tags))
        num += 1
    for spec in LONG_SPECS:
        entries.append(gen_long_invoice(num, spec))
        num += 1
    return entries


# --------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------


def entry(kind: str, num: int, tags: list[str]) -> dict:
    item_id = f"{kind}/{num:03d}"
    row = {
        "id": item_id,
        "chain": "extract_contact" if kind == "contact" else "extract_invoice",
        "text": f"{item_id}.txt",
        "gold": f"{item_id}.json",
        "tags": dedupe(tags),
    }
    if item_id in NOTES:
        row["note"] = NOTES[item_id]
    return row


def main() -> None:
    (HERE / "contact").mkdir(exist_ok=True)
    (HERE / "invoice").mkdir(exist_ok=True)
    rows = [entry("contact", num, tags) for num, tags in sorted(HAND_CONTACT.items())]
    rows += generate_contacts(start=max(HAND_CONTACT) + 1)
    rows += [entry("invoice", num, tags) for num, tags in sorted(HAND_INVOICE.items())]
    rows += generate_invoices(start=max(HAND_INVOICE) + 1)
    with (HERE / "manifest.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} manifest entries")


if __name__ == "__main__":
    main()
