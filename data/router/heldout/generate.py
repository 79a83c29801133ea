"""A held-out-style set for the router, in the Presidio evaluation format.

    python data/router/heldout/generate.py     # writes support_chat.json, prints counts

Written apart from `data/router/generate.py` and from the detectors: other templates
(customer-support tickets and chat turns, in the style of presidio-research's synthetic
sets: a name or an address block dropped into a sentence, national phone formats as
people type them), Faker in 40 locales for the values, and no look at what the
detectors match. It is measured, not tuned on: `inhouse eval router --dataset
data/router/heldout/support_chat.json`.

Each sample is `{"full_text", "spans": [{"entity_type", "entity_value",
"start_position", "end_position"}], "template_id", "metadata": {"kind"}}`. Kinds:
`person` and `address` (the personal data is a name or an address), `pattern` (a phone,
an e-mail address, a card, an IBAN, an SSN or an IP address, often with a name),
`hard_negative` (harmless: order and ticket numbers, versions, amounts, dates, times,
ISBNs, postcodes and cities alone, product names) and `public_figure` (harmless
questions that name a public figure, which the router keeps local by design).

Fixed seed, no clock, no network, hash seed 0 (the script restarts itself with
PYTHONHASHSEED=0: some Faker locales draw from sets); values are invented. With Faker
40.63.0 it writes sha256 3347f2475c99946b34a1fa038273943d266d8f4a1c193940e3c8ab6d1cb4902d. Released under CC0 1.0.
"""

# ruff: noqa: E501  (templates are long string literals)
from __future__ import annotations

import json
import os
import random
import string
import sys
from collections import Counter
from pathlib import Path

from faker import Faker

if os.environ.get("PYTHONHASHSEED") != "0":  # some Faker locales draw from sets (it_IT cities)
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

HERE = Path(__file__).resolve().parent
OUT = HERE / "support_chat.json"
SEED = 4242
N_PERSON, N_ADDRESS, N_PATTERN, N_HARMLESS = 500, 400, 500, 500

LOCALES = [
    "en_US", "en_GB", "en_AU", "en_IE", "en_NZ", "en_CA", "en_IN", "de_DE", "de_AT",
    "de_CH", "fr_FR", "fr_CA", "fr_CH", "es_ES", "es_MX", "es_AR", "it_IT", "pt_BR",
    "pt_PT", "nl_NL", "nl_BE", "fi_FI", "et_EE", "sv_SE", "da_DK", "no_NO", "pl_PL",
    "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "tr_TR",
    "id_ID", "fil_PH", "en_PH", "ga_IE",
]  # fmt: skip

rng = random.Random(SEED)
Faker.seed(SEED)
FAKERS = {loc: Faker(loc) for loc in LOCALES}


def fk(loc: str | None = None) -> tuple[str, Faker]:
    loc = loc or rng.choice(LOCALES)
    return loc, FAKERS[loc]


class Text:
    """A text built piece by piece; labelled pieces become spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []

    def add(self, piece: str, kind: str | None = None) -> Text:
        start = sum(len(p) for p in self.parts)
        self.parts.append(piece)
        if kind:
            self.spans.append({"entity_type": kind, "entity_value": piece,
                               "start_position": start, "end_position": start + len(piece)})  # fmt: skip
        return self

    def fill(self, template: str, **values: tuple[str, str | None] | str) -> Text:
        """`template` with {slots}: a value (str) or (value, entity type)."""
        rest = template
        while "{" in rest:
            before, _, tail = rest.partition("{")
            slot, _, rest = tail.partition("}")
            self.add(before)
            value = values[slot]
            if isinstance(value, tuple):
                self.add(value[0], value[1])
            else:
                self.add(value)
        self.add(rest)
        return self

    @property
    def text(self) -> str:
        return "".join(self.parts)


# -- values ---------------------------------------------------------------------------------


def person(f: Faker) -> str:
    style = rng.random()
    first, last = f.first_name(), f.last_name()
    if style < 0.55:
        return f"{first} {last}"
    if style < 0.7:
        return f"{first} {f.first_name()[0]}. {last}"
    if style < 0.8:
        return f"{first} {last}-{f.last_name()}"
    if style < 0.9:
        return f.name()
    return f"{last}, {first}" if rng.random() < 0.5 else f"{first} {last} {f.last_name()}"


def title() -> str:
    return rng.choice(["Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Mr", "Ms", "Dr"])


def cased(name: str) -> str:
    r = rng.random()
    return name.lower() if r < 0.15 else name.upper() if r < 0.27 else name


def street(f: Faker) -> str:
    value = f.street_address()
    return value.replace("\n", " ")


def address_block(f: Faker, sep: str) -> str:
    lines = [street(f)]
    if rng.random() < 0.35:
        lines.append(
            rng.choice(["Apt. ", "Suite ", "Flat ", "Unit ", "Apartment "])
            + str(rng.randint(1, 999))
        )
    city = f.city()
    postcode = f.postcode()
    lines.append(
        rng.choice(
            [f"{postcode} {city}", f"{city} {postcode}", f"{city.upper()}", f"{city}, {postcode}"]
        )
    )
    if rng.random() < 0.4:
        lines.append(f.current_country() if hasattr(f, "current_country") else f.country())
    return sep.join(lines)


def digits(n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def phone(f: Faker) -> str:
    r = rng.random()
    if r < 0.5:
        return (f if hasattr(f, "phone_number") else FAKERS["en_IE"]).phone_number()
    shapes = ["### ### ###", "##-##-##-##", "### ## ###", "#### ####", "### ####",
              "(###) ###-####", "+# (###) ###-####", "+## # ## ## ## ##", "0#### ######",
              "###.###.####", "+##########", "## #### ####", "(0##) #### ####"]  # fmt: skip
    shape = rng.choice(shapes)
    out = "".join(str(rng.randint(1, 9)) if i == 0 and c == "#" else (rng.choice(string.digits) if c == "#" else c)
                  for i, c in enumerate(shape))  # fmt: skip
    return out


def iban(f: Faker) -> str:
    value = (f if hasattr(f, "iban") else FAKERS["de_DE"]).iban()
    if rng.random() < 0.3:  # a typo in the bank part: mod 97 fails, the shape stays
        i = rng.randrange(6, len(value))
        value = value[:i] + rng.choice(string.digits) + value[i + 1 :]
    if rng.random() < 0.4:
        value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


def card(f: Faker) -> str:
    value = f.credit_card_number()
    if rng.random() < 0.4 and len(value) == 16:
        value = " ".join(value[i : i + 4] for i in range(0, 16, 4))
    return value


def ssn() -> str:
    return f"{rng.randint(100, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def email(f: Faker, name: str) -> str:
    base = "".join(
        c for c in name.lower().replace(" ", ".") if c.isascii() and (c.isalnum() or c == ".")
    )
    while ".." in base:
        base = base.replace("..", ".")
    return f"{base.strip('.') or 'user'}{rng.choice(['', str(rng.randint(1, 99))])}@{f.free_email_domain()}"


# -- templates ------------------------------------------------------------------------------

PERSON_TEMPLATES = [
    "My name appears incorrectly on my statement, please correct it to {t} {n}",
    "Hi, this is {n}. I can't log into the portal since yesterday.",
    "can you help {ln} reset their password? she's locked out",
    "Please add {n} as an authorised user on the account.",
    "The parcel was signed for by {n}, but nobody here knows them.",
    "{n} called earlier about the refund, can you follow up?",
    "Hello support, I'm writing on behalf of my mother, {n}, who can't use a computer.",
    "Account holder: {n}\nIssue: double charge on the last invoice",
    "Could you transfer the booking from my name to {n}?",
    "Thanks for your help today!\n\n{n}",
    "I spoke with {n} from your team and she promised a callback.",
    "{ln}: hey, is the shop open on sunday?",
    "Reference letter for {n}, please keep it short and friendly.",
    "Meeting notes: {n} will send the revised quote next week.",
    "The tenant, {n}, has not paid rent for two months. Draft a polite reminder.",
    "Summarise this complaint from {n}: the delivery came two days late and was damaged.",
    "Translate to English: {n} ist morgen nicht im Büro.",
    "Write a birthday message for {f}, she turns 40 on Friday.",
    "Is {n} still the contact person for the Q3 contract?",
    "The ticket was opened by {n} and assigned to nobody.",
    "please update the recipient to {ln}",
    "WINNER: {un} - please confirm the prize address",
    "Dear {t} {l},\nyour appointment is confirmed for Monday.",
    "Can you check why {f} {l}'s order was cancelled?",
    "I need a reminder to call {f} about the lease tomorrow.",
    "Passenger {n} missed the connection in Frankfurt.",
    "Write a short bio for {n}, our new head of sales.",
    "cc {n} on the reply please",
    "{f} says the invoice is wrong, who should she talk to?",
    "Ask {t} {n} to sign the consent form before the procedure.",
]

ADDRESS_TEMPLATES = [
    "Billing address: {n}\n{a}",
    "Please ship the replacement to {a}",
    "I moved! New address is {a}. Update my profile.",
    "{n}\n{a}\n\nThis is where the refund cheque should go.",
    "Deliver to: {a}",
    "Is {a} inside your delivery zone?",
    "The invoice still shows my old address ({a}), please fix it.",
    "Our office is at {a}, come by any time after 9.",
    "send the documents to {n}, {a}",
    "Return label for {a} please",
    "My daughter lives at {a} and will pick up the package.",
    "Correct shipping address:\n{a}",
    "The courier left it at {a} instead of my flat.",
    "Write a letter to the landlord at {a} about the broken heating.",
    "Pickup point: {a}",
]

PATTERN_TEMPLATES = [
    ("phone", "They're not answering at {p}"),
    ("phone", "Phone: {p}"),
    ("phone", "How can we reach you? You can call {p}"),
    ("phone", "{p}-Office"),
    ("phone", "my registered number is {p} but the SMS never arrives"),
    ("phone", "Please call me back on {p} after 5pm."),
    ("phone", "{n}\nMobile: {p}"),
    ("phone", "whatsapp me at {p}"),
    ("phone", "Customer asked to be called back on {p} regarding the warranty."),
    ("phone", "Contact {n} ({p}) to arrange the visit."),
    ("phone", "Tel. {p} / Fax {p2}"),
    ("phone", "text me: {p}"),
    ("email", "My email is {e}, please send the receipt there."),
    ("email", "Forward the statement to {e}"),
    ("email", "{n} <{e}> wrote: the link doesn't work"),
    ("card", "I was charged twice on card {c}."),
    ("card", "Card number {c}, exp 08/27 - please remove it from my profile"),
    ("iban", "Wire the deposit to IBAN {i} before Friday"),
    ("iban", "Refund to my account please: {i}"),
    ("iban", "IBAN: {i}\nAccount holder: {n}"),
    ("ssn", "My SSN is {s}, why does the form reject it?"),
    ("ssn", "social security number {s} for the tax form"),
    ("ip", "Our server at {ip} keeps rejecting logins from {n}"),
    ("ip", "Block {ip}, it's been hammering the login page"),
]

HARMLESS_TEMPLATES = [
    "Where is my order #{order}? It was supposed to arrive on {date}.",
    "Invoice INV-{year}-{num} shows {amount}, but I paid less.",
    "Ticket {ticket} is still open after two weeks.",
    "We upgraded to version {version} and the export broke.",
    "The meeting is at {time} on {date}, can you send an agenda?",
    "Can you recommend books like ISBN {isbn}?",
    "Is shipping to postcode {postcode} free?",
    "Compare {figure} and {figure2} on the question of free will.",
    "Write a short essay on how {figure} changed modern physics.",
    "What is the population of {city}?",
    "Plan a 3-day trip to {city} and {city2} on a budget of {amount}.",
    "The {product} costs {amount} with VAT, is that right?",
    "Explain the difference between TCP and UDP in simple words.",
    "Our sprint {num} retro: deploys took {num2} minutes, how do we cut it?",
    "Call the function with retries=3 and timeout={num2} seconds, why does it hang?",
    "Give me 10 names for a bakery in {city}.",
    "Summarise the {year} annual report: revenue {amount}, growth {pct}%.",
    "Refund request for order {order}, amount {amount}.",
    "My package {tracking} has been stuck in {city} since {date}.",
    "Room {num} on floor {small} has a broken projector.",
    "Convert {amount} to euros at today's rate.",
    "Is {figure}'s theory still taught at {uni}?",
    "The train leaves at {time} from platform {small}, how long to {city}?",
    "Error code {num} appears when I press Save in {product}.",
    "What did {figure} say about democracy?",
    "Please rate the {product} on a scale from 1 to {small}.",
    "Call me lazy, but can you write the SQL for me? Table orders, {num} rows.",
    "Our office in {city} closes at {time} on Fridays.",
    "Draft a tweet for our {product} launch on {date}.",
    "Batch {lot} of the {product} was recalled, what should customers do?",
]

FIGURES = ["Kant", "Hume", "Einstein", "Marie Curie", "Napoleon", "Shakespeare", "Aristotle",
           "Darwin", "Nelson Mandela", "Ada Lovelace", "Isaac Newton", "Plato", "Confucius",
           "Simone de Beauvoir", "Karl Marx", "Adam Smith", "Frida Kahlo", "Mozart",
           "Leonardo da Vinci", "Galileo", "Niels Bohr", "Alan Turing", "Gandhi"]  # fmt: skip
PRODUCTS = ["Galaxy S24", "ThinkPad X1", "AirPods Pro", "Kindle Paperwhite", "Model 3",
            "PlayStation 5", "Dyson V15", "iPhone 15", "Surface Laptop", "Roomba j7"]  # fmt: skip
UNIS = ["Oxford", "Harvard", "the Sorbonne", "ETH Zurich", "MIT"]


def person_sample(tid: int) -> tuple[Text, str]:
    loc, f = fk()
    n = person(f)
    t = title()
    values = {"n": (cased(n), "PERSON"), "t": t, "l": (f.last_name(), "PERSON"),
              "f": (f.first_name(), "PERSON"), "ln": (n.lower(), "PERSON"), "un": (n.upper(), "PERSON")}  # fmt: skip
    template = PERSON_TEMPLATES[tid]
    if "{f} {l}" in template:
        first, last = f.first_name(), f.last_name()
        template = template.replace("{f} {l}", "{fl}")
        values["fl"] = (f"{first} {last}", "PERSON")
    return Text().fill(template, **values), loc


def address_sample(tid: int) -> tuple[Text, str]:
    loc, f = fk()
    template = ADDRESS_TEMPLATES[tid]
    sep = (
        "\n" if template.startswith(("Billing", "{n}\n", "Correct")) or rng.random() < 0.2 else ", "
    )
    values = {"n": (person(f), "PERSON"), "a": (address_block(f, sep), "STREET_ADDRESS")}
    return Text().fill(template, **values), loc


def pattern_sample(tid: int) -> tuple[Text, str]:
    loc, f = fk()
    _, template = PATTERN_TEMPLATES[tid]
    n = person(f)
    values = {
        "p": (phone(f), "PHONE_NUMBER"), "p2": (phone(f), "PHONE_NUMBER"), "n": (n, "PERSON"),
        "e": (email(f, n), "EMAIL_ADDRESS"), "c": (card(f), "CREDIT_CARD"),
        "i": (iban(FAKERS["es_ES"] if rng.random() < 0.4 else f), "IBAN_CODE"),
        "s": (ssn(), "US_SSN"), "ip": (FAKERS["en_US"].ipv4_public(), "IP_ADDRESS"),
    }  # fmt: skip
    return Text().fill(template, **values), loc


def harmless_sample(tid: int) -> tuple[Text, str]:
    loc, f = fk()
    year = str(rng.randint(2015, 2026))
    values = {
        "order": digits(rng.choice([6, 8, 9, 10])), "date": f.date(pattern=rng.choice(["%d/%m/%Y", "%Y-%m-%d", "%B %d, %Y", "%d.%m.%Y"])),
        "year": year, "num": str(rng.randint(100, 99999)), "num2": str(rng.randint(2, 90)),
        "amount": rng.choice(["$", "€", "£", ""]) + f"{rng.randint(5, 99999):,}" + rng.choice([".00", ".99", "", " EUR"]),
        "ticket": rng.choice(["#", "TCK-", "SR-", "INC"]) + digits(rng.choice([5, 7, 8])),
        "version": f"{rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",
        "time": f"{rng.randint(0, 23):02d}:{rng.choice(['00', '15', '30', '45'])}",
        "isbn": f"978-{rng.randint(0, 9)}-{digits(3)}-{digits(5)}-{rng.randint(0, 9)}",
        "postcode": f.postcode(), "figure": rng.choice(FIGURES), "figure2": rng.choice(FIGURES),
        "city": f.city(), "city2": f.city(), "product": rng.choice(PRODUCTS),
        "pct": str(rng.randint(1, 40)), "tracking": "1Z" + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
        "small": str(rng.randint(2, 12)), "uni": rng.choice(UNIS), "lot": f"{rng.choice('ABCDEFGH')}{digits(4)}-{digits(2)}",
    }  # fmt: skip
    template = HARMLESS_TEMPLATES[tid]
    return Text().fill(template, **values), loc


def main() -> None:
    samples = []
    plan = [("person", N_PERSON, PERSON_TEMPLATES, person_sample, 0),
            ("address", N_ADDRESS, ADDRESS_TEMPLATES, address_sample, 100),
            ("pattern", N_PATTERN, PATTERN_TEMPLATES, pattern_sample, 200),
            ("harmless", N_HARMLESS, HARMLESS_TEMPLATES, harmless_sample, 300)]  # fmt: skip
    for kind, count, templates, make, base in plan:
        for i in range(count):
            tid = i % len(templates)
            built, loc = make(tid)
            for span in built.spans:
                value = built.text[span["start_position"] : span["end_position"]]
                if value != span["entity_value"] or value != value.strip() or not value:
                    sys.exit(f"bad span {span} in {built.text!r}")
            if kind == "harmless":
                kind = "public_figure" if "{figure" in HARMLESS_TEMPLATES[tid] else "hard_negative"
            samples.append({"full_text": built.text, "spans": built.spans,
                            "template_id": base + tid, "metadata": {"kind": kind, "locale": loc}})  # fmt: skip
            kind = "harmless" if kind in ("public_figure", "hard_negative") else kind
    OUT.write_text(json.dumps(samples, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    kinds = Counter(s["metadata"]["kind"] for s in samples)
    types = Counter(sp["entity_type"] for s in samples for sp in s["spans"])
    print(f"{len(samples)} samples -> {OUT.name}: {dict(kinds)}; spans {dict(types)}")


if __name__ == "__main__":
    main()
