"""Deterministic generator for the router's labelled evaluation set (``prompts.jsonl``).

Every prompt is something a user might send to an LLM. Each one is labelled with whether
it holds sensitive data (and where: character spans per entity), whether it is a
complex request, and which part of the set it belongs to::

    python data/router/generate.py            # writes prompts.jsonl, prints the counts

Fixed seeds (``Faker.seed`` and ``random.Random``), no clock, no network: re-running it
with the same Faker / python-stdnum / phonenumbers versions gives byte-identical output.
All names, numbers, keys and addresses are invented; numbers are made checksum-valid on
purpose so that a detector cannot reject them on the checksum alone. Released under CC0.
"""

# ruff: noqa: E501  (prompt templates are long string literals; wrapping them hurts reading)
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import itertools
import json
import random
import re
import string
import sys
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from faker import Faker
from stdnum import ean, luhn, verhoeff
from stdnum import iban as std_iban
from stdnum.ca import sin as ca_sin
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.fr import nir as fr_nir
from stdnum.in_ import aadhaar as in_aadhaar
from stdnum.nl import bsn as nl_bsn
from stdnum.us import ssn as us_ssn

HERE = Path(__file__).resolve().parent
OUT = HERE / "prompts.jsonl"

SEED = 20250611
N_PLAIN, N_OBF, N_NEG, N_CX = 1000, 400, 600, 400

TYPES = [
    "email",
    "phone",
    "card",
    "iban",
    "ssn",
    "national_id",
    "ip",
    "dob",
    "api_key",
    "private_key",
    "password",
    "custom",
]
NEW_TYPES = ["name", "address"]  # labelled since issue 13 (see the people and places part)
CUSTOM_TERMS = ("Project Falcon", "Bluebird", "confidential")
ZW = "\u200b\u200c\u200d\u2060\ufeff"

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "en_IN", "en_CA"]
IBAN_LOCALES = {
    "GB": "en_GB",
    "DE": "de_DE",
    "FR": "fr_FR",
    "ES": "es_ES",
    "NL": "nl_NL",
    "IT": "it_IT",
    "BE": "nl_BE",
    "IE": "en_IE",
    "AT": "de_AT",
    "CH": "de_CH",
    "PT": "pt_PT",
    "PL": "pl_PL",
}
REGION = {
    "en_US": "US",
    "en_GB": "GB",
    "de_DE": "DE",
    "fr_FR": "FR",
    "es_ES": "ES",
    "nl_NL": "NL",
    "en_IN": "IN",
    "en_CA": "CA",
}

rng = random.Random(SEED)
Faker.seed(SEED)
FK: dict[str, Faker] = {}
for _loc in LOCALES + [v for v in IBAN_LOCALES.values() if v not in LOCALES]:
    FK[_loc] = Faker(_loc)

UP, LO, DG = string.ascii_uppercase, string.ascii_lowercase, string.digits
ALNUM = UP + LO + DG
B32 = UP + "234567"
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"


def rs(alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def pick(seq):
    return rng.choice(seq)


def chance(p: float) -> bool:
    return rng.random() < p


# ======================================================================================
# Text builder: strings and entities appended in order, offsets recorded as we go.
# ======================================================================================


@dataclass
class Ent:
    type: str
    value: str
    obf: bool = False


SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class B:
    def __init__(self) -> None:
        self.buf: list[str] = []
        self.n = 0
        self.ents: list[tuple[str, int, int, bool]] = []

    def t(self, s: str) -> B:
        self.buf.append(s)
        self.n += len(s)
        return self

    def add(self, x) -> B:
        if x is None:
            return self
        if isinstance(x, str):
            return self.t(x)
        if isinstance(x, Ent):
            start = self.n
            self.t(x.value)
            self.ents.append((x.type, start, self.n, x.obf))
            return self
        if isinstance(x, B):
            off = self.n
            self.buf.extend(x.buf)
            self.n += x.n
            self.ents.extend((t, s + off, e + off, o) for t, s, e, o in x.ents)
            return self
        if isinstance(x, (list, tuple)):
            for y in x:
                self.add(y)
            return self
        raise TypeError(type(x))

    def fill(self, template: str, **slots) -> B:
        pos = 0
        for m in SLOT.finditer(template):
            self.t(template[pos : m.start()])
            self.add(slots[m.group(1)])
            pos = m.end()
        self.t(template[pos:])
        return self

    def text(self) -> str:
        return "".join(self.buf)


def F(template: str, **slots) -> B:
    return B().fill(template, **slots)


def join(parts, sep: str = " ") -> B:
    b = B()
    for i, p in enumerate(parts):
        if i:
            b.t(sep)
        b.add(p)
    return b


# ======================================================================================
# Value generators (plain, valid forms)
# ======================================================================================


def ascii_slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", s)


def gen_email(loc: str, first: str, last: str) -> str:
    f = FK[loc]
    fi, la = ascii_slug(first) or "anna", ascii_slug(last) or "berg"
    domain = f.free_email_domain() if chance(0.55) else f.domain_name()
    local = pick(
        [
            f"{fi}.{la}",
            f"{fi[0]}{la}",
            f"{fi}{la[0]}",
            f"{fi}_{la}{rng.randint(1, 99)}",
            f"{fi}.{la}{rng.randint(70, 99)}",
            f"{la}.{fi}",
            f"{fi}{rng.randint(1980, 2004)}",
        ]
    )
    return f"{local}@{domain}"


def gen_phone(loc: str) -> str:
    f, region = FK[loc], REGION[loc]
    for _ in range(500):
        s = f.phone_number()
        try:
            p = phonenumbers.parse(s, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(p) or p.extension:
            continue
        if chance(0.4) and not s.startswith("00") and "x" not in s:
            return s
        fmt = pick(
            [
                phonenumbers.PhoneNumberFormat.NATIONAL,
                phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.E164,
            ]
        )
        return phonenumbers.format_number(p, fmt)
    raise RuntimeError(f"no valid phone for {loc}")


def luhn_number(prefix: str, length: int) -> str:
    body = prefix + rs(DG, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def gen_card() -> str:
    brand = rng.choices(["visa", "mc", "amex"], [5, 4, 2])[0]
    if brand == "visa":
        n, groups = luhn_number("4", 16), [4, 4, 4, 4]
    elif brand == "mc":
        prefix = str(rng.randint(51, 55)) if chance(0.75) else str(rng.randint(2221, 2720))
        n, groups = luhn_number(prefix, 16), [4, 4, 4, 4]
    else:
        n, groups = luhn_number(pick(["34", "37"]), 15), [4, 6, 5]
    sep = rng.choices(["", " ", "-"], [3, 5, 2])[0]
    out, i = [], 0
    for g in groups:
        out.append(n[i : i + g])
        i += g
    return sep.join(out)


def gen_card_expiry() -> str:
    return f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"


def gen_iban(loc: str) -> str:
    cc = {"en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES", "nl_NL": "NL"}.get(loc)
    if cc is None or chance(0.2):
        cc = pick(list(IBAN_LOCALES))
    f = FK[IBAN_LOCALES[cc]]
    for _ in range(200):
        v = f.iban()
        if v.startswith(cc) and std_iban.is_valid(v):
            return std_iban.format(v) if chance(0.6) else v
    raise RuntimeError(cc)


def gen_ssn() -> str:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        s = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if us_ssn.is_valid(s):
            break
    style = rng.choices(["-", " ", ""], [8, 1, 1])[0]
    return f"{s[:3]}{style}{s[3:5]}{style}{s[5:]}"


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NINO_BAD = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")


def nino_valid(s: str) -> bool:
    s = re.sub(r"\s", "", s).upper()
    m = re.fullmatch(r"([A-Z])([A-Z])(\d{6})([A-D])", s)
    return bool(m) and m[1] in NINO_FIRST and m[2] in NINO_SECOND and m[1] + m[2] not in NINO_BAD


def gen_nino() -> str:
    while True:
        pre = pick(NINO_FIRST) + pick(NINO_SECOND)
        if pre not in NINO_BAD:
            break
    d = rs(DG, 6)
    suf = pick("ABCD")
    return f"{pre} {d[:2]} {d[2:4]} {d[4:]} {suf}" if chance(0.6) else f"{pre}{d}{suf}"


def gen_idnr() -> str:
    while True:
        digits = rng.sample(DG, 9)
        digits.append(rng.choice(digits))
        rng.shuffle(digits)
        if digits[0] == "0":
            continue
        base = "".join(digits)
        for c in DG:
            if de_idnr.is_valid(base + c):
                v = base + c
                return de_idnr.format(v) if chance(0.5) else v


def gen_nir() -> str:
    while True:
        dept = rng.randint(1, 95)
        if dept == 20:
            continue
        body = (
            f"{rng.randint(1, 2)}{rng.randint(40, 99) if chance(0.85) else rng.randint(0, 6):02d}"
            f"{rng.randint(1, 12):02d}{dept:02d}{rng.randint(1, 990):03d}{rng.randint(1, 999):03d}"
        )
        v = body + fr_nir.calc_check_digits(body)
        if fr_nir.is_valid(v):
            return fr_nir.format(v) if chance(0.6) else v


def gen_dni() -> str:
    n = f"{rng.randint(1, 99999999):08d}"
    v = n + es_dni.calc_check_digit(n)
    return f"{n}-{v[-1]}" if chance(0.25) else v


def gen_bsn() -> str:
    while True:
        v = str(rng.randint(1, 9)) + rs(DG, 8)
        if nl_bsn.is_valid(v):
            return nl_bsn.format(v) if chance(0.2) else v


def gen_aadhaar() -> str:
    while True:
        body = str(rng.randint(2, 9)) + rs(DG, 10)
        v = body + verhoeff.calc_check_digit(body)
        if in_aadhaar.is_valid(v):
            return f"{v[:4]} {v[4:8]} {v[8:]}" if chance(0.7) else v


def gen_sin() -> str:
    while True:
        body = pick("1234567 9".replace(" ", "")) + rs(DG, 7)
        v = body + luhn.calc_check_digit(body)
        if ca_sin.is_valid(v):
            sep = rng.choices([" ", "-", ""], [5, 3, 2])[0]
            return f"{v[:3]}{sep}{v[3:6]}{sep}{v[6:]}"


NATIONAL_ID = {
    "en_GB": (gen_nino, ["National Insurance number", "NI number", "NINO"]),
    "de_DE": (gen_idnr, ["Steuer-ID", "tax ID (Steuer-ID)", "Steuerliche Identifikationsnummer"]),
    "fr_FR": (
        gen_nir,
        ["numéro de sécurité sociale", "NIR", "French social security number (NIR)"],
    ),
    "es_ES": (gen_dni, ["DNI", "DNI number", "NIF"]),
    "nl_NL": (gen_bsn, ["BSN", "burgerservicenummer", "citizen service number (BSN)"]),
    "en_IN": (gen_aadhaar, ["Aadhaar number", "Aadhaar", "Aadhaar no."]),
    "en_CA": (gen_sin, ["SIN", "Social Insurance Number", "SIN number"]),
}

WELL_KNOWN_IPS = ("8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "127.0.0.1", "0.0.0.0")


def gen_ip() -> str:
    f = FK["en_US"]
    while True:
        r = rng.random()
        if r < 0.65:
            s = f.ipv4_public()
        elif r < 0.85:
            s = f.ipv4_private()
        else:
            s = str(
                ipaddress.IPv6Address((0b001 << 125) | rng.getrandbits(125))
            )  # global unicast 2000::/3
        if s not in WELL_KNOWN_IPS and not s.startswith(("255.", "0.", "127.")):
            return s


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def gen_dob(loc: str) -> str:
    d = dt.date(1942, 1, 1) + dt.timedelta(
        days=rng.randint(0, (dt.date(2006, 12, 31) - dt.date(1942, 1, 1)).days)
    )
    y, m, dd = d.year, d.month, d.day
    if loc in ("en_US",):
        opts = [
            f"{m:02d}/{dd:02d}/{y}",
            f"{MONTHS[m - 1]} {dd}, {y}",
            f"{y}-{m:02d}-{dd:02d}",
            f"{MONTHS[m - 1][:3]} {dd}, {y}",
        ]
    elif loc in ("en_GB", "en_IN", "en_CA"):
        opts = [
            f"{dd:02d}/{m:02d}/{y}",
            f"{dd} {MONTHS[m - 1]} {y}",
            f"{y}-{m:02d}-{dd:02d}",
            f"{dd} {MONTHS[m - 1][:3]} {y}",
        ]
    elif loc == "de_DE":
        opts = [f"{dd:02d}.{m:02d}.{y}", f"{y}-{m:02d}-{dd:02d}"]
    elif loc == "nl_NL":
        opts = [f"{dd:02d}-{m:02d}-{y}", f"{y}-{m:02d}-{dd:02d}"]
    else:
        opts = [f"{dd:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{dd:02d}"]
    return pick(opts)


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def gen_jwt() -> str:
    header = {"alg": pick(["HS256", "RS256"]), "typ": "JWT"}
    now = rng.randint(1_700_000_000, 1_760_000_000)
    payload = {
        "sub": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "iat": now,
        "exp": now + pick([900, 3600, 86400]),
        "scope": pick(["read:orders", "admin", "user", "billing:write"]),
    }
    sig = rng.randbytes(32 if header["alg"] == "HS256" else 64)
    return ".".join(
        [
            b64url(json.dumps(header, separators=(",", ":")).encode()),
            b64url(json.dumps(payload, separators=(",", ":")).encode()),
            b64url(sig),
        ]
    )


# vendor: (label, env var name, generator)
API_VENDORS = {
    "aws": ("AWS access key", "AWS_ACCESS_KEY_ID", lambda: "AKIA" + rs(B32, 16)),
    "aws_secret": ("AWS secret key", "AWS_SECRET_ACCESS_KEY", lambda: rs(ALNUM + "/+", 40)),
    "github": ("GitHub token", "GITHUB_TOKEN", lambda: "ghp_" + rs(ALNUM, 36)),
    "github_pat": (
        "GitHub fine-grained token",
        "GH_PAT",
        lambda: "github_pat_" + rs(ALNUM, 22) + "_" + rs(ALNUM, 59),
    ),
    "slack": (
        "Slack bot token",
        "SLACK_BOT_TOKEN",
        lambda: f"xoxb-{rs(DG, pick([11, 12, 13]))}-{rs(DG, 13)}-{rs(ALNUM, 24)}",
    ),
    "stripe": (
        "Stripe secret key",
        "STRIPE_SECRET_KEY",
        lambda: "sk_live_" + (rs(ALNUM, 24) if chance(0.4) else "51" + rs(ALNUM, 97)),
    ),
    "openai": (
        "OpenAI API key",
        "OPENAI_API_KEY",
        lambda: (
            "sk-proj-"
            + rs(URLSAFE, rng.randint(20, 40))
            + "T3BlbkFJ"
            + rs(URLSAFE, rng.randint(20, 40))
        ),
    ),
    "google": ("Google Maps API key", "GOOGLE_MAPS_API_KEY", lambda: "AIzaSy" + rs(URLSAFE, 33)),
    "jwt": ("JWT", "AUTH_TOKEN", gen_jwt),
    "sendgrid": (
        "SendGrid API key",
        "SENDGRID_API_KEY",
        lambda: "SG." + rs(URLSAFE, 22) + "." + rs(URLSAFE, 43),
    ),
    "anthropic": (
        "Anthropic API key",
        "ANTHROPIC_API_KEY",
        lambda: "sk-ant-api03-" + rs(URLSAFE, 93) + "AA",
    ),
}
API_WEIGHTS = {
    "aws": 18,
    "aws_secret": 0,
    "github": 12,
    "github_pat": 4,
    "slack": 10,
    "stripe": 12,
    "openai": 14,
    "google": 10,
    "jwt": 12,
    "sendgrid": 5,
    "anthropic": 5,
}
API_KEY_RES = [
    re.compile(p)
    for p in [
        r"AKIA[A-Z2-7]{16}",
        r"[A-Za-z0-9/+]{40}",
        r"ghp_[A-Za-z0-9]{36}",
        r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        r"xoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{24}",
        r"sk_live_[A-Za-z0-9]{24,}",
        r"sk-proj-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}",
        r"AIza[A-Za-z0-9_-]{35}",
        r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}",
        r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
        r"sk-ant-api03-[A-Za-z0-9_-]{93}AA",
    ]
]


def pick_vendor() -> str:
    names = list(API_WEIGHTS)
    return rng.choices(names, [API_WEIGHTS[n] for n in names])[0]


PEM_KINDS = [
    # header, body prefix, line width, (min lines, max lines)
    ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 64, (18, 26)),
    ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 64, (18, 26)),
    ("EC PRIVATE KEY", "MHcCAQEEI", 64, (3, 3)),
    (
        "OPENSSH PRIVATE KEY",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        70,
        (5, 7),
    ),
]


def gen_pem(escaped_newlines: bool = False, indent: str = "") -> str:
    header, prefix, width, (lo, hi) = pick(PEM_KINDS)
    nlines = rng.randint(lo, hi)
    total = (nlines - 1) * width + rng.randint(width // 3, width)
    body = prefix + rs(B64, total - len(prefix))
    if chance(0.3) and header != "OPENSSH PRIVATE KEY":
        body = body[:-1] + "="
    lines = [f"-----BEGIN {header}-----"] + [
        body[i : i + width] for i in range(0, len(body), width)
    ]
    lines.append(f"-----END {header}-----")
    if escaped_newlines:
        return "\\n".join(lines)
    return ("\n" + indent).join(lines)


PW_WORDS = [
    "Summer",
    "Winter",
    "Sunflower",
    "Dragon",
    "Monkey",
    "Welcome",
    "Football",
    "Purple",
    "Rainbow",
    "Tiger",
    "Coffee",
    "Maple",
    "Ocean",
    "Harbour",
    "Pancake",
    "Orange",
    "Lemon",
    "Thunder",
    "Silver",
    "Marigold",
    "Kestrel",
    "Copper",
    "Velvet",
    "Nimbus",
    "Juniper",
]
PP_WORDS = [
    "correct",
    "horse",
    "battery",
    "staple",
    "violet",
    "anchor",
    "river",
    "pickle",
    "lantern",
    "cactus",
    "marble",
    "rocket",
    "willow",
    "pepper",
    "saddle",
    "comet",
    "tundra",
    "glacier",
]


def gen_password(url_safe: bool = False) -> str:
    while True:
        style = rng.random()
        if style < 0.4:
            v = FK["en_US"].password(length=rng.randint(10, 20), special_chars=True)
        elif style < 0.75:
            v = pick(PW_WORDS) + str(rng.randint(1, 2025)) + pick("!#$%&*?.")
        else:
            v = "-".join(rng.sample(PP_WORDS, rng.randint(3, 4))) + str(rng.randint(1, 99))
        if url_safe and not re.fullmatch(r"[A-Za-z0-9!*_\-.]+", v):
            continue
        if v.isdigit() or "@" in v:
            continue
        return v


def gen_custom() -> str:
    return rng.choices(
        ["Project Falcon", "Bluebird", "confidential", "Confidential", "CONFIDENTIAL"],
        [6, 5, 4, 2, 2],
    )[0]


# ======================================================================================
# Obfuscation (used by the "obfuscated" part)
# ======================================================================================

FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def to_fullwidth(s: str, only=None) -> str:
    return "".join(FULLWIDTH.get(c, c) if (only is None or c in only) else c for c in s)


def insert_zw(s: str, k: int | None = None) -> str:
    if len(s) < 3:
        return s
    k = k or rng.randint(1, max(1, min(4, len(s) // 6)))
    pos = sorted(rng.sample(range(1, len(s)), min(k, len(s) - 1)))
    out, last = [], 0
    for p in pos:
        out.append(s[last:p])
        out.append(pick(ZW))
        last = p
    out.append(s[last:])
    return "".join(out)


def spaced_chars(s: str) -> str:
    """'4111 1111-...' -> '4 1 1 1 - 1 1 1 1 ...' (original separators become ' - ')."""
    groups = re.split(r"[\s\-./]+", s)
    return " - ".join(" ".join(g) for g in groups if g)


def spelled_digits(s: str) -> str:
    groups = re.split(r"[\s\-.()]+", s)
    words = []
    for g in groups:
        if not g:
            continue
        w = " ".join(
            "plus" if c == "+" else DIGIT_WORDS[int(c)] for c in g if c == "+" or c.isdigit()
        )
        if w:
            words.append(w)
    return ", ".join(words)


def obf_email(v: str) -> str:
    local, dom = v.split("@")
    parts = dom.split(".")
    m = rng.choice(
        [
            "spelled",
            "bracket",
            "paren",
            "caps",
            "brace",
            "fw_at",
            "fw_all",
            "zw",
            "mixed_spelled_zw",
            "mixed_bracket_fw",
        ]
    )
    if m == "spelled":
        return local.replace(".", " dot ") + " at " + " dot ".join(parts)
    if m == "bracket":
        return local + "[at]" + "[dot]".join(parts)
    if m == "paren":
        return local + " (at) " + " (dot) ".join(parts)
    if m == "caps":
        return local + " AT " + " DOT ".join(parts)
    if m == "brace":
        return local + "{at}" + "{dot}".join(parts)
    if m == "fw_at":
        return local + "＠" + dom
    if m == "fw_all":
        return to_fullwidth(v)
    if m == "zw":
        return insert_zw(v, rng.randint(1, 3))
    if m == "mixed_spelled_zw":
        return (
            insert_zw(local, 1)
            + " at "
            + " dot ".join(insert_zw(p, 1) if len(p) > 3 else p for p in parts)
        )
    return to_fullwidth(local) + "[at]" + "[dot]".join(parts)


def obf_digits(v: str, allow_spelled: bool) -> str:
    methods = ["spaced", "fw", "zw", "fw_zw", "spaced_fw"] + (
        ["spelled", "spelled"] if allow_spelled else []
    )
    m = pick(methods)
    if m == "spaced":
        return spaced_chars(v)
    if m == "fw":
        return to_fullwidth(v, only=DG + UP)
    if m == "zw":
        return insert_zw(v, rng.randint(2, 4))
    if m == "fw_zw":
        return insert_zw(to_fullwidth(v, only=DG + UP), rng.randint(1, 3))
    if m == "spaced_fw":
        return to_fullwidth(spaced_chars(v), only=DG + UP)
    return spelled_digits(v)


def obf_ip(v: str) -> str:
    sep = "." if "." in v else ":"
    m = pick(["defang_br", "defang_par", "dot_word", "fw", "zw", "defang_fw"])
    if sep == ":" and m in ("defang_br", "defang_par", "dot_word", "defang_fw"):
        m = pick(["fw", "zw"])
    if m == "defang_br":
        return v.replace(".", "[.]")
    if m == "defang_par":
        return v.replace(".", "(.)")
    if m == "dot_word":
        return v.replace(".", " dot ")
    if m == "fw":
        return to_fullwidth(v)
    if m == "zw":
        return insert_zw(v, rng.randint(1, 3))
    return to_fullwidth(v, only=DG).replace(".", "[.]")


def obf_key(v: str) -> str:
    m = pick(["zw", "zw", "fw", "chunks", "fw_zw"])
    if m == "zw":
        return insert_zw(v, rng.randint(1, 4))
    if m == "fw":
        return to_fullwidth(v)
    if m == "chunks":
        n = pick([4, 6, 8])
        return " ".join(v[i : i + n] for i in range(0, len(v), n))
    return insert_zw(to_fullwidth(v), 2)


def obf_password(v: str) -> str:
    m = pick(["zw", "zw", "fw", "fw_zw"])
    if m == "zw":
        return insert_zw(v, rng.randint(1, 2))
    if m == "fw":
        return to_fullwidth(v)
    return insert_zw(to_fullwidth(v), 1)


def obf_pem(v: str) -> str:
    m = pick(["flat", "flat", "zw_header", "flat_zw"])
    if m == "flat":
        return v.replace("\n", " ")
    lines = v.split("\n")
    if m == "zw_header":
        lines[0] = lines[0].replace("BEGIN ", "BEGIN" + pick(ZW) + " ")
        lines[-1] = lines[-1].replace("END ", "END " + pick(ZW))
        return "\n".join(lines)
    return insert_zw(v.replace("\n", " "), 3)


def obf_custom(v: str) -> str:
    m = pick(["zw", "fw", "spaced", "slug", "zw", "fw_zw"])
    if m == "zw":
        return insert_zw(v, 1)
    if m == "fw":
        return to_fullwidth(v)
    if m == "spaced":
        return " ".join(v.replace(" ", ""))
    if m == "slug":
        if " " in v:
            return pick(
                [
                    v.lower().replace(" ", "-"),
                    v.upper().replace(" ", "_"),
                    v.lower().replace(" ", "_"),
                ]
            )
        return insert_zw(v, 1)
    return insert_zw(to_fullwidth(v), 1)


def obf_dob(v: str) -> str:
    m = pick(["fw", "zw", "fw_zw", "spaced"])
    if m == "fw":
        return to_fullwidth(v, only=DG)
    if m == "zw":
        return insert_zw(v, 2)
    if m == "fw_zw":
        return insert_zw(to_fullwidth(v, only=DG), 1)
    return re.sub(r"(\d)(?=\d)", r"\1 ", v)


OBFUSCATE = {
    "email": obf_email,
    "phone": lambda v: obf_digits(v, True),
    "card": lambda v: obf_digits(v, False),
    "iban": lambda v: obf_digits(v, False),
    "ssn": lambda v: obf_digits(v, True),
    "national_id": lambda v: obf_digits(v, False),
    "ip": obf_ip,
    "dob": obf_dob,
    "api_key": obf_key,
    "private_key": obf_pem,
    "password": obf_password,
    "custom": obf_custom,
}


# ======================================================================================
# Per-prompt context: a person in a locale, entity factory (obfuscating when asked)
# ======================================================================================


class Ctx:
    def __init__(self, loc: str, obf_types=(), obf_budget: int = 0) -> None:
        self.loc = loc
        self.f = FK[loc]
        self.first = self.f.first_name()
        self.last = self.f.last_name()
        self.name = f"{self.first} {self.last}"
        self.names = [self.name]  # every full name used: labelled "name" where they appear
        self.addresses: list[str] = []
        self.obf_types = set(obf_types)
        self.obf_left = obf_budget

    def ent(self, typ: str, value: str) -> Ent:
        if typ in self.obf_types and self.obf_left > 0:
            self.obf_left -= 1
            return Ent(typ, OBFUSCATE[typ](value), True)
        return Ent(typ, value)

    # entity makers
    def email(self, first=None, last=None) -> Ent:
        return self.ent("email", gen_email(self.loc, first or self.first, last or self.last))

    def phone(self) -> Ent:
        return self.ent("phone", gen_phone(self.loc))

    def card(self) -> Ent:
        return self.ent("card", gen_card())

    def iban(self) -> Ent:
        return self.ent("iban", gen_iban(self.loc))

    def ssn(self) -> Ent:
        return self.ent("ssn", gen_ssn())

    def nid(self) -> tuple[str, Ent]:
        gen, labels = NATIONAL_ID[self.loc if self.loc in NATIONAL_ID else pick(list(NATIONAL_ID))]
        return pick(labels), self.ent("national_id", gen())

    def ip(self) -> Ent:
        return self.ent("ip", gen_ip())

    def dob(self) -> Ent:
        return self.ent("dob", gen_dob(self.loc))

    def api(self, vendor: str | None = None) -> tuple[str, str, Ent]:
        vendor = vendor or pick_vendor()
        label, env, g = API_VENDORS[vendor]
        return label, env, self.ent("api_key", g())

    def pem(self, **kw) -> Ent:
        return self.ent("private_key", gen_pem(**kw))

    def password(self, url_safe: bool = False) -> Ent:
        return self.ent("password", gen_password(url_safe))

    def custom(self, value: str | None = None) -> Ent:
        return self.ent("custom", value or gen_custom())

    def other_person(self) -> tuple[str, str, str]:
        fi, la = self.f.first_name(), self.f.last_name()
        self.names.append(f"{fi} {la}")
        return fi, la, f"{fi} {la}"

    def address(self) -> str:
        value = self.f.address().replace("\n", ", ")
        self.addresses.append(value)
        return value


# ======================================================================================
# Snippets: one entity of a type in prose, as a labelled field, or as a config line
# ======================================================================================

AMOUNTS = ["49.99", "120.00", "89.50", "1,240.00", "315.75", "18.20", "642.10", "2,300.00"]


def money(loc: str) -> str:
    cur = {"en_US": "$", "en_CA": "CA$", "en_GB": "£", "en_IN": "₹"}.get(loc, "€")
    return cur + pick(AMOUNTS)


def prose(ctx: Ctx, typ: str) -> B:
    if typ == "email":
        return F(
            pick(
                [
                    "You can reach me at {v}.",
                    "Please send the signed copy to {v}.",
                    "My new email address is {v}, please update your records.",
                    "Reply to {v} rather than my work address.",
                    "Please cc {v} on anything about the invoice.",
                    "Send the receipt to {v}.",
                    "My personal email is {v}.",
                ]
            ),
            v=ctx.email(),
        )
    if typ == "phone":
        return F(
            pick(
                [
                    "You can call me on {v}.",
                    "My mobile is {v} if anything goes wrong.",
                    "The driver should ring {v} on arrival.",
                    "Best number to reach me: {v}.",
                    "I changed my number to {v}.",
                    "Text me at {v} when it's ready.",
                    "My landline is {v}, I'm home after 6.",
                ]
            ),
            v=ctx.phone(),
        )
    if typ == "card":
        return F(
            pick(
                [
                    "I was charged twice on card {v} last week.",
                    "Please update the card on file to {v}, expiry {exp}.",
                    "The payment with card {v} was declined this morning.",
                    "Can you refund the {amt} to {v}?",
                    "My card number is {v} (exp {exp}).",
                ]
            ),
            v=ctx.card(),
            exp=gen_card_expiry(),
            amt=money(ctx.loc),
        )
    if typ == "iban":
        return F(
            pick(
                [
                    "Please refund the deposit to my IBAN {v}.",
                    "Our new bank details are IBAN {v}.",
                    "Send the payment to {v} by Friday.",
                    "My salary should go to {v} from next month.",
                    "The refund can go to {v} (account holder {name}).",
                ]
            ),
            v=ctx.iban(),
            name=ctx.name,
        )
    if typ == "ssn":
        return F(
            pick(
                [
                    "My SSN is {v}.",
                    "For the background check, my Social Security number is {v}.",
                    "The W-2 shows SSN {v}, which is correct.",
                    "They asked for my social, it's {v}.",
                    "SSN on the application: {v}.",
                ]
            ),
            v=ctx.ssn(),
        )
    if typ == "national_id":
        label, v = ctx.nid()
        return F(
            pick(
                [
                    "My {label} is {v}.",
                    "For the form they asked for my {label}: {v}.",
                    "{label_cap}: {v}.",
                    "I think my {label} ({v}) was entered wrongly.",
                ]
            ),
            label=label,
            label_cap=label[0].upper() + label[1:],
            v=v,
        )
    if typ == "ip":
        return F(
            pick(
                [
                    "I'm connecting from {v} and keep getting blocked.",
                    "Our office IP is {v}, please whitelist it.",
                    "The suspicious login came from {v}.",
                    "My home server is at {v}.",
                    "The VPN assigns me {v} but the firewall rejects it.",
                ]
            ),
            v=ctx.ip(),
        )
    if typ == "dob":
        return F(
            pick(
                [
                    "I was born on {v}.",
                    "My date of birth is {v}.",
                    "Date of birth: {v}.",
                    "{name} was born on {v}.",
                    "The policy holder's DOB is {v}.",
                    "(DOB {v})",
                ]
            ),
            v=ctx.dob(),
            name=ctx.name,
        )
    if typ == "api_key":
        label, _env, v = ctx.api()
        return F(
            pick(
                [
                    "Here is the {label} I'm using: {v}",
                    "I set the {label} to {v} but it still fails.",
                    "my {label} is {v}",
                    "The {label} we were given is {v}.",
                ]
            ),
            label=label,
            v=v,
        )
    if typ == "password":
        return F(
            pick(
                [
                    "My password is {v}.",
                    "The temporary password they gave me is {v}.",
                    "I changed the wifi password to {v}.",
                    "Login is {user} / {v}.",
                    "The admin password for the router is {v}.",
                    "pw: {v}",
                ]
            ),
            v=ctx.password(),
            user=ascii_slug(ctx.first) or "admin",
        )
    if typ == "custom":
        term = gen_custom()
        if term == "Project Falcon":
            tpl = pick(
                [
                    "This is about {v}.",
                    "It's for the {v} launch.",
                    "(re: {v} budget)",
                    "Everything here relates to {v}.",
                ]
            )
        elif term == "Bluebird":
            tpl = pick(
                [
                    "This concerns the {v} acquisition.",
                    "It's part of the {v} rollout.",
                    "(internal code name: {v})",
                    "The {v} deal closes next month.",
                ]
            )
        else:
            tpl = pick(
                [
                    "Please keep this {v}.",
                    "{v} - do not forward.",
                    "This is strictly {v}.",
                    "Marked {v} by legal.",
                ]
            )
            if tpl.startswith("{v}"):
                term = term.capitalize() if term == "confidential" else term
        return F(tpl, v=ctx.custom(term))
    if typ == "private_key":
        return F("Here's the key:\n{v}\n", v=ctx.pem())
    raise KeyError(typ)


FIELD_LABELS = {
    "email": ["Email", "E-mail", "Contact email", "Email address"],
    "phone": ["Phone", "Mobile", "Tel", "Contact number", "Cell"],
    "card": ["Card number", "Card", "Credit card", "Card on file"],
    "iban": ["IBAN", "Bank account (IBAN)", "Payout IBAN", "Refund IBAN"],
    "ssn": ["SSN", "Social Security No.", "SSN#"],
    "ip": ["IP", "Client IP", "Last login IP", "Source IP"],
    "dob": ["DOB", "Date of birth", "Birth date", "D.O.B."],
    "password": ["Password", "Temp password", "Portal password", "Initial password"],
}


def field(ctx: Ctx, typ: str) -> B:
    if typ == "national_id":
        label, v = ctx.nid()
        return F("{label}: {v}", label=label[0].upper() + label[1:], v=v)
    if typ == "api_key":
        label, _env, v = ctx.api()
        return F("{label}: {v}", label=label[0].upper() + label[1:], v=v)
    if typ == "custom":
        term = ctx.custom(pick(["Project Falcon", "Bluebird"]))
        return F(pick(["Project: {v}", "Account tag: {v}", "Programme: {v}"]), v=term)
    if typ == "private_key":
        return F("Key:\n{v}", v=ctx.pem())
    getter = {
        "email": ctx.email,
        "phone": ctx.phone,
        "card": ctx.card,
        "iban": ctx.iban,
        "ssn": ctx.ssn,
        "ip": ctx.ip,
        "dob": ctx.dob,
        "password": ctx.password,
    }[typ]
    return F("{label}: {v}", label=pick(FIELD_LABELS[typ]), v=getter())


def config_lines(ctx: Ctx, typ: str, fmt: str) -> list[B]:
    """Lines for a config file in fmt (env, yaml, json, toml, py)."""

    def kv(key: str, value, quote: bool = True) -> B:
        lk = key.lower()
        if fmt == "env":
            return F("{k}={v}", k=key, v=value)
        if fmt == "yaml":
            return F('{k}: "{v}"' if quote and chance(0.5) else "{k}: {v}", k=lk, v=value)
        if fmt == "json":
            return F('  "{k}": "{v}",', k=lk, v=value)
        if fmt == "toml":
            return F('{k} = "{v}"', k=lk, v=value)
        return F('{k} = "{v}"', k=key, v=value)

    if typ == "api_key":
        vendor = pick_vendor()
        _label, env, v = ctx.api(vendor)
        out = [kv(env, v)]
        if vendor == "aws":
            _l, env2, v2 = ctx.api("aws_secret")
            out.append(kv(env2, v2))
        return out
    if typ == "password":
        if chance(0.35):
            host = (
                ctx.ip()
                if chance(0.3)
                else pick(["db.internal", "localhost", "postgres", "db-prod-1.internal"])
            )
            scheme, port, user = pick(
                [
                    ("postgresql", 5432, "app"),
                    ("mysql", 3306, "root"),
                    ("redis", 6379, ""),
                    ("mongodb", 27017, "admin"),
                    ("amqp", 5672, "guest"),
                ]
            )
            return [
                kv(
                    "DATABASE_URL",
                    F(
                        "{s}://{u}:{pw}@{h}:{p}/{db}",
                        s=scheme,
                        u=user,
                        pw=ctx.password(url_safe=True),
                        h=host,
                        p=str(port),
                        db=pick(["orders", "app", "prod", "0", "crm"]),
                    ),
                )
            ]
        return [
            kv(
                pick(
                    [
                        "DB_PASSWORD",
                        "REDIS_PASSWORD",
                        "SMTP_PASSWORD",
                        "ADMIN_PASSWORD",
                        "POSTGRES_PASSWORD",
                        "MYSQL_ROOT_PASSWORD",
                        "LDAP_BIND_PASSWORD",
                    ]
                ),
                ctx.password(),
            )
        ]
    if typ == "ip":
        return [
            kv(
                pick(
                    [
                        "DB_HOST",
                        "SERVER_IP",
                        "REDIS_HOST",
                        "BASTION_HOST",
                        "UPSTREAM_ADDR",
                        "SMTP_HOST",
                    ]
                ),
                ctx.ip(),
            )
        ]
    if typ == "email":
        return [
            kv(
                pick(
                    [
                        "ADMIN_EMAIL",
                        "SMTP_USER",
                        "ALERT_EMAIL",
                        "BILLING_CONTACT",
                        "GIT_AUTHOR_EMAIL",
                    ]
                ),
                ctx.email(),
            )
        ]
    if typ == "private_key":
        if fmt == "json":
            return [F('  "private_key": "{v}\\n",', v=ctx.pem(escaped_newlines=True))]
        if fmt == "yaml":
            return [F("tls_key: |\n  {v}", v=ctx.pem(indent="  "))]
        if fmt == "env":
            return [F('SSH_PRIVATE_KEY="{v}"', v=ctx.pem())]
        if fmt == "toml":
            return [F('private_key = """\n{v}\n"""', v=ctx.pem())]
        return [F('PRIVATE_KEY = """\n{v}\n"""', v=ctx.pem())]
    if typ == "custom":
        term = ctx.custom(pick(["Project Falcon", "Bluebird", "CONFIDENTIAL", "confidential"]))
        c = "//" if fmt == "json" else "#"
        if fmt == "json":
            return [F('  "project": "{v}",', v=term)]
        return [
            F(
                pick([c + " {v} - staging", c + " {v}: do not commit", c + " settings for {v}"]),
                v=term,
            )
        ]
    # personal types in config: store as a plain field
    getter = {
        "phone": ctx.phone,
        "card": ctx.card,
        "iban": ctx.iban,
        "ssn": ctx.ssn,
        "dob": ctx.dob,
    }
    if typ in getter:
        return [
            kv(
                {
                    "phone": "SUPPORT_PHONE",
                    "card": "TEST_CARD",
                    "iban": "PAYOUT_IBAN",
                    "ssn": "OWNER_SSN",
                    "dob": "OWNER_DOB",
                }[typ],
                getter[typ](),
            )
        ]
    _label, v = ctx.nid()
    return [kv("OWNER_TAX_ID", v)]


FILLER_CONFIG = [
    ("DEBUG", "false"),
    ("PORT", "8080"),
    ("LOG_LEVEL", "info"),
    ("REGION", "eu-west-1"),
    ("TIMEOUT_SECONDS", "30"),
    ("WORKERS", "4"),
    ("CACHE_TTL", "600"),
    ("FEATURE_EXPORT", "true"),
    ("APP_ENV", "production"),
    ("MAX_UPLOAD_MB", "25"),
]


def config_file(ctx: Ctx, types: list[str], fmt: str) -> B:
    lines: list[B] = []
    fillers = rng.sample(FILLER_CONFIG, rng.randint(2, 4))
    for k, v in fillers:
        if fmt == "env":
            lines.append(F(f"{k}={v}"))
        elif fmt == "yaml":
            lines.append(F(f"{k.lower()}: {v}"))
        elif fmt == "json":
            lines.append(F(f'  "{k.lower()}": "{v}",'))
        elif fmt == "toml":
            lines.append(F(f'{k.lower()} = "{v}"'))
        else:
            lines.append(F(f'{k} = "{v}"'))
    for t in types:
        lines.extend(config_lines(ctx, t, fmt))
    # keep custom comments at the top, the rest shuffled
    head = [ln for ln in lines if ln.text().lstrip().startswith(("#", "//"))]
    rest = [ln for ln in lines if ln not in head]
    rng.shuffle(rest)
    body = join(head + rest, "\n")
    if fmt == "json":
        return join(["{", body, '  "version": 2', "}"], "\n")
    return body


# ======================================================================================
# Containers: whole prompts. Each takes (ctx, types, complex) and returns a B.
# ======================================================================================

TOPICS = [
    (
        "Refund for order {o}",
        [
            "I returned the jacket two weeks ago and still haven't seen the refund.",
            "The tracking shows it arrived back at your warehouse on Monday.",
            "Could you confirm when the money will be sent?",
        ],
    ),
    (
        "Delivery problem",
        [
            "The parcel was left outside in the rain and the box was soaked.",
            "Two of the six glasses were broken.",
            "I'd like a replacement rather than a refund.",
        ],
    ),
    (
        "Appointment next week",
        [
            "I need to move my appointment from Tuesday to Thursday afternoon.",
            "Anything after 2pm works for me.",
            "Sorry for the short notice.",
        ],
    ),
    (
        "Tenancy deposit",
        [
            "I moved out of the flat on the 30th and handed back both sets of keys.",
            "The inventory check found no damage.",
            "Please return the deposit as agreed.",
        ],
    ),
    (
        "Insurance claim",
        [
            "My bike was stolen from outside the station on Saturday.",
            "I reported it to the police and have a crime reference.",
            "What else do you need from me?",
        ],
    ),
    (
        "Payroll details",
        [
            "I've switched banks and want my salary paid into the new account.",
            "Please make the change before the next pay run.",
            "Let me know if HR needs a form.",
        ],
    ),
    (
        "Can't log in",
        [
            "I've been locked out of my account since yesterday.",
            "The reset link in your email has expired twice.",
            "Can someone unlock it manually?",
        ],
    ),
    (
        "Cancel subscription",
        [
            "Please cancel my subscription at the end of this billing period.",
            "I was charged even though I cancelled in the app.",
            "I'd like that charge reversed.",
        ],
    ),
    (
        "Invoice query",
        [
            "Invoice {o} lists 40 hours but we agreed on 32.",
            "Could you send a corrected version?",
            "We'll pay as soon as it's fixed.",
        ],
    ),
    (
        "Booking change",
        [
            "We need to change the hotel booking from three nights to two.",
            "The conference finishes a day early.",
            "Is there a fee for the change?",
        ],
    ),
    (
        "School trip",
        [
            "My daughter will join the museum trip on Friday.",
            "She has a nut allergy; her EpiPen is in her bag.",
            "Please call me if anything happens.",
        ],
    ),
    (
        "GP registration",
        [
            "I've just moved to the area and want to register with the practice.",
            "I'm on regular medication for asthma.",
            "Is there a form I can fill in online?",
        ],
    ),
]


def order_no() -> str:
    return pick(
        [
            f"#{rng.randint(10000, 999999)}",
            f"ORD-{rng.randint(2023, 2025)}-{rng.randint(1000, 99999):05d}",
            f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}-{rng.randint(1000000, 9999999)}",
            f"INV-{rng.randint(2023, 2025)}-{rng.randint(1, 9999):04d}",
        ]
    )


def topic_body(ctx: Ctx, types: list[str]) -> tuple[str, B]:
    subj, fillers = pick(TOPICS)
    o = order_no()
    subj = subj.replace("{o}", o)
    sents = [F(s.replace("{o}", o)) for s in rng.sample(fillers, rng.randint(1, len(fillers)))]
    for t in types:
        sents.insert(rng.randint(1, len(sents)), prose(ctx, t))
    return subj, join(sents, " ")


def cx_pick(is_cx: bool, simple: list[str], complex_: list[str]) -> str:
    return pick(complex_ if is_cx else simple)


def c_email_summary(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    types = list(types)
    from_email = "email" in types and chance(0.7)
    if from_email:
        types.remove("email")
    to_fi, _to_la, _to_name = ctx.other_person()
    subj, body = topic_body(ctx, types)
    instr = cx_pick(
        is_cx,
        [
            "Summarise this email in two sentences:",
            "Summarise this email from {sender}:",
            "What is this email asking me to do?",
            "Give me a one-line TL;DR of this email:",
            "Summarise the key points of the email below.",
            "Can you summarise this for me? I don't have time to read it all.",
        ],
        [
            "Summarise this email, extract every action item with an owner and a deadline as a table, flag anything that"
            " conflicts with a standard 30-day refund policy, and then draft a reply that addresses each point in order:",
            "Read the email below and (1) summarise it, (2) assess the tone and urgency, (3) list what information is"
            " missing for us to act, and (4) draft two alternative replies, one formal and one friendly, each under 150 words.",
        ],
    )
    b = F(instr + "\n\n", sender=ctx.name)
    if from_email:
        b.fill("From: {n} <{e}>\n", n=ctx.name, e=ctx.email())
    else:
        b.fill("From: {n}\n", n=ctx.name)
    b.fill(
        "Subject: {s}\n\nHi {to},\n\n{body}\n\n{closing}\n{n}",
        s=subj,
        to=Ent("name", to_fi),
        body=body,
        closing=pick(["Thanks,", "Best regards,", "Kind regards,", "Cheers,", "Many thanks,"]),
        n=ctx.name,
    )
    return b


def c_draft_reply(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    types = list(types)
    head_email = "email" in types and chance(0.6)
    if head_email:
        types.remove("email")
    _subj, body = topic_body(ctx, types)
    who = F("{n} ({e})", n=ctx.name, e=ctx.email()) if head_email else F(ctx.name)
    instr = cx_pick(
        is_cx,
        [
            "Draft a reply to {who} who wrote:",
            "Write a polite response to this message from {who}:",
            "Help me answer this customer, {who}:",
            "Reply to {who} and say we'll sort it out by Friday. Their message:",
        ],
        [
            "Draft a reply to {who}. It must acknowledge each of their points separately, explain our policy without"
            " legal jargon, offer two options with pros and cons, stay under 200 words, and end with a clear next step."
            " Their message:",
            "Write three versions of a reply to {who} (apologetic, neutral, firm), then tell me which one fits best and"
            " why, considering escalation risk and customer lifetime value. Their message:",
        ],
    )
    return F(instr + '\n\n"{body}"', who=who, body=body)


CHAT_INTROS = [
    "hey,",
    "Hi!",
    "Quick question:",
    "ok so",
    "Hello,",
    "",
    "hi there -",
    "Help please:",
]
CHAT_ASKS = [
    "Can you turn this into a formal letter to my bank?",
    "Please write this up as a short message to my landlord.",
    "Can you fix the grammar in this and make it sound professional?",
    "Could you put this into a short email to HR?",
    "Make this into a polite complaint to the airline.",
    "Can you rewrite this so it's clearer?",
    "What should I do next?",
    "Is this enough information for them, or am I missing something?",
]
CHAT_ASKS_CX = [
    "Can you turn this into a formal complaint that cites my consumer rights, lists a timeline of events, states"
    " exactly what remedy I want and by when, and then also give me a step-by-step plan if they don't respond?",
    "Work out which of these details I actually need to give them, explain the risk of sharing each one, and then"
    " write the message twice: once minimal and once complete.",
]

NATIVE = {
    "de_DE": {
        "intro": ["Hallo, kannst du mir helfen?", "Kurze Frage:", "Hi,"],
        "ask": [
            "Formuliere daraus bitte eine höfliche E-Mail an meinen Vermieter.",
            "Schreib das bitte als kurze Nachricht an die Bank.",
            "Kannst du das professioneller formulieren?",
        ],
        "email": "Meine E-Mail-Adresse ist {v}.",
        "phone": "Meine Handynummer ist {v}.",
        "iban": "Bitte überweise die Kaution auf meine IBAN {v}.",
        "dob": "Ich bin am {v} geboren.",
        "national_id": "Meine Steuer-ID lautet {v}.",
        "password": "Mein Passwort ist {v}.",
        "card": "Meine Kreditkartennummer ist {v}.",
        "ip": "Meine IP-Adresse ist {v}.",
        "custom": "Es geht um {v}.",
    },
    "fr_FR": {
        "intro": ["Bonjour, tu peux m'aider ?", "Petite question :", "Salut,"],
        "ask": [
            "Rédige un e-mail poli à mon assurance avec ces informations.",
            "Peux-tu reformuler ce message pour le service client ?",
            "Peux-tu corriger l'orthographe ?",
        ],
        "email": "Mon adresse e-mail est {v}.",
        "phone": "Mon numéro de portable est le {v}.",
        "iban": "Merci de rembourser sur mon IBAN {v}.",
        "dob": "Je suis né le {v}.",
        "national_id": "Mon numéro de sécurité sociale est {v}.",
        "password": "Mon mot de passe est {v}.",
        "card": "Mon numéro de carte est {v}.",
        "ip": "Mon adresse IP est {v}.",
        "custom": "C'est au sujet de {v}.",
    },
    "es_ES": {
        "intro": ["Hola, ¿me ayudas?", "Una pregunta:", "Hola,"],
        "ask": [
            "Redacta un correo formal al banco con estos datos.",
            "¿Puedes escribir esto de forma más educada?",
            "¿Me lo pasas a un mensaje corto para el casero?",
        ],
        "email": "Mi correo es {v}.",
        "phone": "Mi móvil es el {v}.",
        "iban": "Por favor, devolved el dinero a mi IBAN {v}.",
        "dob": "Nací el {v}.",
        "national_id": "Mi DNI es {v}.",
        "password": "Mi contraseña es {v}.",
        "card": "Mi tarjeta es la {v}.",
        "ip": "Mi IP es {v}.",
        "custom": "Es sobre {v}.",
    },
    "nl_NL": {
        "intro": ["Hoi, kun je me helpen?", "Korte vraag:", "Hallo,"],
        "ask": [
            "Schrijf hier een nette e-mail van aan de verhuurder.",
            "Kun je dit korter formuleren?",
            "Maak hier een beleefd bericht van voor de klantenservice.",
        ],
        "email": "Mijn e-mailadres is {v}.",
        "phone": "Mijn mobiele nummer is {v}.",
        "iban": "Stort het bedrag op mijn IBAN {v}.",
        "dob": "Ik ben geboren op {v}.",
        "national_id": "Mijn BSN is {v}.",
        "password": "Mijn wachtwoord is {v}.",
        "card": "Mijn creditcardnummer is {v}.",
        "ip": "Mijn IP-adres is {v}.",
        "custom": "Het gaat om {v}.",
    },
}


def native_sentence(ctx: Ctx, t: str) -> B:
    tpl = NATIVE[ctx.loc][t]
    if t == "national_id":
        return F(tpl, v=ctx.nid()[1])
    if t == "custom":
        return F(tpl, v=ctx.custom(pick(["Project Falcon", "Bluebird"])))
    getter = {
        "email": ctx.email,
        "phone": ctx.phone,
        "iban": ctx.iban,
        "dob": ctx.dob,
        "password": ctx.password,
        "card": ctx.card,
        "ip": ctx.ip,
    }[t]
    return F(tpl, v=getter())


def c_chat(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    if ctx.loc in NATIVE and not is_cx and all(t in NATIVE[ctx.loc] for t in types) and chance(0.8):
        nat = NATIVE[ctx.loc]
        sents = join([native_sentence(ctx, t) for t in types], " ")
        if chance(0.5):
            return F("{i} {s} {a}", i=pick(nat["intro"]), s=sents, a=pick(nat["ask"]))
        return F("{a}\n\n{s}", a=pick(nat["ask"]), s=sents)
    sents = join([prose(ctx, t) for t in types], " ")
    ask = pick(CHAT_ASKS_CX if is_cx else CHAT_ASKS)
    if chance(0.5):
        intro = pick(CHAT_INTROS)
        return F("{i}{sp}{s} {a}", i=intro, sp=" " if intro else "", s=sents, a=ask)
    return F('{a}\n\n"{s}"', a=ask, s=sents)


LANGS = [
    "French",
    "German",
    "Spanish",
    "Dutch",
    "Italian",
    "Portuguese",
    "Polish",
    "Japanese",
    "English",
]


def c_translate(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    _s, body = topic_body(ctx, types)
    lang = pick(LANGS[:-1])
    instr = cx_pick(
        is_cx,
        [
            f"Translate into {lang}:",
            f"Can you translate this message into {lang}?",
            f"Translate this to {lang}, keep it informal:",
            f"{lang} translation please:",
        ],
        [
            f"Translate this into {lang}, then back-translate your {lang} version into English and list every place where"
            " the meaning shifted, explaining which wording you would change and why:",
        ],
    )
    return F("{i}\n\n{b}", i=instr, b=body)


def c_crm_note(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    company = ctx.f.company()
    parts = [
        F(f"Call w/ {ctx.name} ({company}) {pick(['Tue', 'Wed', 'Thu', 'this am', 'yesterday'])}.")
    ]
    parts.append(
        F(
            pick(
                [
                    "Interested in the annual plan.",
                    "Renewal due in Q3, wants 10% off.",
                    "Complained about onboarding speed.",
                    "Asked for a demo for their finance team.",
                    "Happy overall, wants SSO.",
                ]
            )
        )
    )
    for t in types:
        parts.append(prose(ctx, t))
    parts.append(
        F(
            pick(
                [
                    "Follow up next week.",
                    "Send pricing by Fri.",
                    "Loop in account manager.",
                    "No action needed.",
                ]
            )
        )
    )
    instr = cx_pick(
        is_cx,
        [
            "Tidy up this CRM note and pull the contact details into separate fields:",
            "Rewrite this CRM note in full sentences:",
            "Turn this call note into a short follow-up email to the client:",
            "Clean up this note for the CRM:",
        ],
        [
            "From this CRM note, (1) fill a contact record with every detail, (2) score the deal's likelihood to close with"
            " reasoning, (3) write a follow-up email, and (4) propose a three-step account plan for the next quarter:",
        ],
    )
    return F("{i}\n\n{n}", i=instr, n=join(parts, " "))


def c_ticket(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    fields = [field(ctx, t) for t in types]
    subj, body = topic_body(ctx, [])
    instr = cx_pick(
        is_cx,
        [
            "Classify this ticket as billing, technical or account and suggest a first response.",
            "Write a reply to this support ticket.",
            "What's the customer's actual problem here?",
            "Summarise this ticket for the handover.",
            "Prioritise this ticket (P1-P4) and explain in one line.",
        ],
        [
            "Triage this ticket: classify it, identify the root cause if you can, list which internal teams need to act"
            " and in what order, draft the customer reply, and write an internal note explaining the escalation path.",
        ],
    )
    return F(
        "Ticket #{n} | Priority: {p} | Subject: {s}\nCustomer: {c}\n{f}\nMessage: {b}\n\n{i}",
        n=str(rng.randint(10000, 99999)),
        p=pick(["P2", "P3", "P4", "normal", "high"]),
        s=subj,
        c=ctx.name,
        f=join(fields, "\n"),
        b=body,
        i=instr,
    )


FORM_DOCS = [
    "change-of-address letter to my bank",
    "gym membership cancellation letter",
    "tenancy application",
    "visa application cover letter",
    "letter to the council about my parking permit",
    "new-patient registration form",
    "school enrolment form",
    "standing order cancellation request",
    "insurance claim form",
    "employment verification letter",
]


def c_form(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    fields = [F(f"Name: {ctx.name}")]
    if chance(0.5):
        fields.append(F("Address: " + ctx.address()))
    fields += [field(ctx, t) for t in types]
    doc = pick(FORM_DOCS)
    instr = (
        f"Use these details to fill in a {doc}. Check the details are consistent, explain which ones the recipient"
        " legally needs, write the document, and then a short covering note in a different register:"
        if is_cx
        else pick(
            [
                f"Use these details to write a {doc}:",
                f"Fill in a {doc} with:",
                f"Draft a {doc} for me. My details:",
            ]
        )
    )
    return F("{i}\n\n{f}", i=instr, f=join(fields, "\n"))


CSV_COLS = {
    "email": "email",
    "phone": "phone",
    "dob": "date_of_birth",
    "ssn": "ssn",
    "national_id": "national_id",
    "iban": "iban",
    "ip": "last_ip",
    "card": "card_number",
}


def c_csv(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    cols = [t for t in types if t in CSV_COLS]
    rows = []
    for i in range(rng.randint(2, 4)):
        if i == 0:
            fi, la, name = ctx.first, ctx.last, ctx.name
        else:
            fi, la, name = ctx.other_person()
        cells = [F(name)]
        for t in cols:
            if t == "email":
                cells.append(F("{v}", v=ctx.email(fi, la)))
            elif t == "national_id":
                cells.append(F("{v}", v=ctx.nid()[1]))
            else:
                cells.append(
                    F(
                        "{v}",
                        v={
                            "phone": ctx.phone,
                            "dob": ctx.dob,
                            "ssn": ctx.ssn,
                            "iban": ctx.iban,
                            "ip": ctx.ip,
                            "card": ctx.card,
                        }[t](),
                    )
                )
        rows.append(
            join(cells, ";" if any(t in ("iban", "card", "national_id") for t in cols) else ",")
        )
    sep = ";" if any(t in ("iban", "card", "national_id") for t in cols) else ","
    header = sep.join(["name"] + [CSV_COLS[t] for t in cols])
    instr = cx_pick(
        is_cx,
        [
            "Convert this CSV into a markdown table:",
            "Sort these rows by name and give them back as JSON:",
            "Are there any duplicate people in this list?",
            "Turn this into a Python list of dicts:",
            "Check this export for formatting problems:",
        ],
        [
            "Write a Python script that validates every column of this CSV (formats and checksums where they exist),"
            " reports bad rows with reasons, and outputs a cleaned file; then run it mentally on these rows and show the"
            " report:",
        ],
    )
    return F("{i}\n\n{h}\n{r}", i=instr, h=header, r=join(rows, "\n"))


def c_hr(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    fields = [
        F(f"Name: {ctx.name}"),
        F(f"Role: {ctx.f.job()}"),
        F(f"Start date: {pick(['Monday', '1 July', 'next Monday', '3 March', 'the 15th'])}"),
    ]
    fields += [field(ctx, t) for t in types]
    instr = cx_pick(
        is_cx,
        [
            "Write a welcome email to our new hire. Details from HR:",
            "Draft the first-day email for this new starter:",
            "Create an onboarding checklist for this person:",
            "Write a short Slack intro for our new colleague:",
        ],
        [
            "Using the HR record below, write a welcome email, a 30-60-90 day onboarding plan with measurable goals, and"
            " a checklist for IT and payroll; point out any field that payroll will still need and which fields should"
            " not be shared with the team:",
        ],
    )
    return F("{i}\n\n{f}", i=instr, f=join(fields, "\n"))


def c_payment(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    types = list(types)
    inv = f"INV-{rng.randint(2023, 2025)}-{rng.randint(1, 9999):04d}"
    who = F(ctx.name)
    if "email" in types:
        types.remove("email")
        who = F("{n} ({e})", n=ctx.name, e=ctx.email())
    pay = []
    if "iban" in types:
        types.remove("iban")
        pay.append(F("Payment details: IBAN {v}.", v=ctx.iban()))
    extra = [prose(ctx, t) for t in types]
    lead = (
        "Write a firm but friendly payment reminder sequence (day 7, day 14, day 30) to {who} for invoice {inv} of"
        " {amt}; escalate the tone each time, mention late-payment interest correctly for the UK and EU, and keep"
        " each under 120 words."
        if is_cx
        else pick(
            [
                "Write a friendly payment reminder to {who} for invoice {inv} of {amt}, due {due}.",
                "Draft a short chaser email to {who}: invoice {inv} ({amt}) is overdue since {due}.",
            ]
        )
    )
    return join(
        [
            F(
                lead,
                who=who,
                inv=inv,
                amt=money(ctx.loc),
                due=pick(["last Friday", "the 1st", "31 May"]),
            ),
            *pay,
            *extra,
        ]
    )


def c_memo(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    types = [t for t in types if t != "custom"]
    head = pick(
        ["{c}\n", "Subject: {c} - {p} update\n", "Re: {p} - {c}\n", "{p} steering notes ({c})\n"]
    )
    conf = ctx.custom(pick(["CONFIDENTIAL", "Confidential", "confidential"]))
    proj = ctx.custom(pick(["Project Falcon", "Bluebird"]))
    body = [
        F(
            pick(
                [
                    "The pilot with two distribution centres finished two weeks late but under budget.",
                    "Legal has not yet signed off on the data-sharing clause.",
                    "We expect the board to approve the second phase in September.",
                    "Headcount for the team stays at six until the next review.",
                    "The supplier asked to renegotiate the price per unit from 4.10 to 4.45.",
                    "Marketing wants to announce in October; engineering says November at the earliest.",
                ]
            )
        )
        for _ in range(rng.randint(1, 3))
    ]
    for t in types:
        body.append(prose(ctx, t))
    instr = cx_pick(
        is_cx,
        [
            "Rewrite this memo to be more concise:",
            "Turn this into three bullet points for the exec summary:",
            "Fix the tone of this internal update:",
            "Summarise this for the weekly report:",
        ],
        [
            "Analyse this internal memo: identify the three biggest risks, quantify them where the numbers allow, propose"
            " mitigations with owners, and rewrite the memo as a one-page board briefing:",
        ],
    )
    if "{c}" in head and "{p}" in head:
        h = F(head, c=conf, p=proj)
    elif "{c}" in head:
        h = F(head, c=conf)
    else:
        h = F(head, p=proj)
    return F("{i}\n\n{h}{b}", i=instr, h=h, b=join(body, " "))


# ---- technical containers ------------------------------------------------------------


def c_config(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    fmt = pick(["env", "env", "yaml", "json", "toml", "py"])
    name = {
        "env": ".env",
        "yaml": "config.yaml",
        "json": "settings.json",
        "toml": "config.toml",
        "py": "settings.py",
    }[fmt]
    instr = cx_pick(
        is_cx,
        [
            f"Why does my app fail to connect with this {name}?",
            f"Convert this {name} into a docker-compose environment section:",
            f"Is anything wrong with this {name}?",
            f"Turn this {name} into a Kubernetes Secret manifest:",
            f"Add comments explaining each setting in this {name}:",
            f"My service won't start. Here's my {name}:",
        ],
        [
            f"Review this {name} for security problems, explain each risk, propose a secret-management approach for dev,"
            " CI and production, and rewrite the file accordingly:",
            f"Migrate this {name} to a typed pydantic-settings class with validation for every field, explain how"
            " overrides work across environments, and write unit tests for the parsing:",
        ],
    )
    return F("{i}\n\n{c}", i=instr, c=config_file(ctx, types, fmt))


def log_ts() -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def c_log(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    lines: list[B] = []
    for t in types:
        if t == "ip":
            ip = ctx.ip()
            for _ in range(rng.randint(1, 3)):
                kind = rng.random()
                if kind < 0.4:
                    lines.append(
                        F(
                            '{ip} - - [{d}] "{m} {p} HTTP/1.1" {s} {n} "-" "{ua}"',
                            ip=ip,
                            d=f"{rng.randint(1, 28):02d}/May/2025:{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} +0000",
                            m=pick(["GET", "POST", "GET"]),
                            p=pick(
                                [
                                    "/api/orders",
                                    "/login",
                                    "/wp-login.php",
                                    "/api/v2/export",
                                    "/health",
                                ]
                            ),
                            s=pick(["200", "401", "403", "500", "502", "429"]),
                            n=str(rng.randint(120, 9000)),
                            ua=pick(
                                [
                                    "Mozilla/5.0",
                                    "curl/8.5.0",
                                    "python-requests/2.31.0",
                                    "Go-http-client/1.1",
                                ]
                            ),
                        )
                    )
                elif kind < 0.7:
                    lines.append(
                        F(
                            "{d} sshd[{pid}]: Failed password for invalid user {u} from {ip} port {port} ssh2",
                            d=pick(["May 3 14:22:01", "Jun 11 02:13:45", "Jul 1 23:59:10"]),
                            pid=str(rng.randint(1000, 60000)),
                            u=pick(["admin", "root", "test", "oracle", "ubuntu"]),
                            ip=ip,
                            port=str(rng.randint(30000, 65000)),
                        )
                    )
                else:
                    lines.append(
                        F(
                            "{ts} WARN  ratelimit: client {ip} exceeded {n} req/min",
                            ts=log_ts(),
                            ip=ip,
                            n=str(pick([60, 100, 600])),
                        )
                    )
        elif t == "email":
            lines.append(
                F(
                    "{ts} INFO  auth: login ok user={e} method={m}",
                    ts=log_ts(),
                    e=ctx.email(),
                    m=pick(["password", "sso", "magic-link"]),
                )
            )
        elif t == "api_key":
            label, _env, v = ctx.api(pick(["google", "jwt", "stripe", "openai", "slack"]))
            if label == "Google Maps API key":
                lines.append(
                    F(
                        "{ts} DEBUG http: GET https://maps.googleapis.com/maps/api/geocode/json?address=10+Main+St&key={v} -> 403",
                        ts=log_ts(),
                        v=v,
                    )
                )
            else:
                lines.append(
                    F(
                        "{ts} DEBUG http: request headers={'Authorization': 'Bearer {v}'}",
                        ts=log_ts(),
                        v=v,
                    )
                )
        elif t == "password":
            lines.append(
                F(
                    "{ts} DEBUG db: connecting host=db.internal user=app password={v}",
                    ts=log_ts(),
                    v=ctx.password(),
                )
            )
        elif t == "custom":
            lines.append(
                F(
                    "{ts} INFO  deploy: [{v}] release started",
                    ts=log_ts(),
                    v=ctx.custom(pick(["Project Falcon", "Bluebird"])),
                )
            )
        else:
            lines.append(F("{ts} INFO  form: submitted {x}", ts=log_ts(), x=field(ctx, t)))
    for _ in range(rng.randint(1, 4)):
        lines.append(
            F(
                pick(
                    [
                        f"{log_ts()} INFO  worker: started pid={rng.randint(1000, 60000)}",
                        f"{log_ts()} WARN  cache: miss ratio {rng.random():.2f}",
                        f"{log_ts()} ERROR db: timeout after {rng.randint(5, 60)}s (pool size 10)",
                        f"{log_ts()} INFO  http: 200 GET /health {rng.randint(1, 30)}ms",
                        f"{log_ts()} ERROR api: upstream returned 502",
                    ]
                )
            )
        )
    rng.shuffle(lines)
    instr = cx_pick(
        is_cx,
        [
            "Why are these requests failing?",
            "Explain what's happening in this log:",
            "Is this a brute-force attempt?",
            "Which lines here are the actual problem?",
            "Write a grep command that finds lines like these:",
        ],
        [
            "Reconstruct the timeline of this incident from the log, identify the likely root cause, estimate the impact,"
            " and write a short post-mortem with three concrete remediation steps:",
            "Analyse this log: group events by client, detect anomalies, explain which ones matter, and write fail2ban and"
            " nginx rules that would have stopped the bad traffic without blocking legitimate users:",
        ],
    )
    b = join(lines, "\n")
    return F("{i}\n\n```\n{b}\n```", i=instr, b=b) if chance(0.6) else F("{b}\n\n{i}", i=instr, b=b)


def c_pem(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    others = [t for t in types if t != "private_key"]
    key = ctx.pem()
    if is_cx:
        lead = pick(
            [
                "Here is our deploy key. Explain step by step how to rotate it across 40 servers without downtime,"
                " including a rollback plan and how to audit where the old key is still accepted:",
                "Work out what kind of key this is, explain its structure field by field, convert it to PKCS#8 and OpenSSH"
                " formats, and write a script that checks a folder of such keys for weak parameters:",
            ]
        )
    else:
        lead = pick(
            [
                "ssh says 'Load key \"id_rsa\": invalid format' for this key. What's wrong with it?",
                "Convert this key to PKCS#8 for me:",
                "Is this a private or a public key, and which algorithm?",
                "Can you check this key file is complete? I copied it from an email.",
                "Which openssl command shows the details of this key?",
                "PuTTY won't accept this key, why?",
            ]
        )
    extra = []
    for t in others:
        if t == "ip":
            extra.append(
                F(
                    "I'm trying to log into {ip} as deploy with it and get 'Permission denied (publickey)'.",
                    ip=ctx.ip(),
                )
            )
        elif t == "password":
            extra.append(F("The passphrase is {v}.", v=ctx.password()))
        elif t == "email":
            extra.append(F("It was generated with the comment {v}.", v=ctx.email()))
        else:
            extra.append(prose(ctx, t))
    return (
        F("{l}\n\n{k}\n\n{x}", l=lead, k=key, x=join(extra))
        if extra
        else F("{l}\n\n{k}", l=lead, k=key)
    )


def c_curl(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    others = [t for t in types if t != "api_key"]
    vendor = pick(
        [
            "stripe",
            "openai",
            "slack",
            "jwt",
            "google",
            "github",
            "sendgrid",
            "anthropic",
            "github_pat",
        ]
    )
    _l, _e, v = ctx.api(vendor)
    host = F("api.{d}", d=ctx.f.domain_name())
    ip_host = "ip" in others
    if ip_host:
        others.remove("ip")
        host = F("{ip}:8443", ip=ctx.ip())
    cmds = {
        "stripe": F(
            "curl https://api.stripe.com/v1/charges -u {v}: -d amount=2000 -d currency=eur", v=v
        ),
        "openai": F(
            'curl https://api.openai.com/v1/chat/completions -H "Authorization: Bearer {v}" -H "Content-Type: application/json" -d \'{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}\'',
            v=v,
        ),
        "slack": F(
            'curl -X POST https://slack.com/api/chat.postMessage -H "Authorization: Bearer {v}" -d channel=C024BE91L -d text=hello',
            v=v,
        ),
        "jwt": F('curl -s https://{h}/v1/me -H "Authorization: Bearer {v}"', h=host, v=v),
        "google": F(
            'curl "https://maps.googleapis.com/maps/api/geocode/json?address=1600+Amphitheatre+Parkway&key={v}"',
            v=v,
        ),
        "github": F('curl -H "Authorization: token {v}" https://api.github.com/user/repos', v=v),
        "github_pat": F(
            'curl -H "Authorization: Bearer {v}" https://api.github.com/repos/acme/infra/actions/runs',
            v=v,
        ),
        "sendgrid": F(
            'curl -X POST https://api.sendgrid.com/v3/mail/send -H "Authorization: Bearer {v}" -H "Content-Type: application/json" -d @mail.json',
            v=v,
        ),
        "anthropic": F(
            'curl https://api.anthropic.com/v1/messages -H "x-api-key: {v}" -H "anthropic-version: 2023-06-01" -d @body.json',
            v=v,
        ),
    }
    cmd = cmds[vendor]
    if vendor != "jwt" and (ip_host or chance(0.3)):
        cmd = F('curl -s https://{h}/v1/status -H "X-API-Key: {v}"', h=host, v=v)
    instr = cx_pick(
        is_cx,
        [
            "Why does this return 401?",
            "Convert this curl command to Python requests:",
            "Turn this into a fetch() call in JavaScript:",
            "What does each flag in this command do?",
            "This works in my terminal but not in CI. Why?",
        ],
        [
            "Turn this curl call into a reusable async Python client with retries, exponential backoff, timeouts and"
            " structured logging that never logs credentials; include tests with a mocked transport:",
        ],
    )
    extra = join([prose(ctx, t) for t in others])
    return (
        F("{i}\n\n{c}\n\n{x}", i=instr, c=cmd, x=extra)
        if others
        else F("{i}\n\n{c}", i=instr, c=cmd)
    )


def c_diff(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    path = pick(
        [
            "config/settings.py",
            "app/config.py",
            "deploy/values.yaml",
            ".env.production",
            "src/client.ts",
        ]
    )
    lines = [
        F(f"diff --git a/{path} b/{path}"),
        F(f"@@ -{rng.randint(3, 80)},7 +{rng.randint(3, 80)},8 @@"),
    ]
    lines.append(F(" " + pick(["import os", "# settings", "const client = init({", "env:"])))
    for t in types:
        if t == "api_key":
            _l, env, v = ctx.api()
            lines.append(F(f'-{env} = os.environ["{env}"]'))
            lines.append(F('+{e} = "{v}"', e=env, v=v))
        elif t == "password":
            lines.append(F('-DB_PASSWORD = os.environ.get("DB_PASSWORD")'))
            lines.append(F('+DB_PASSWORD = "{v}"', v=ctx.password()))
        elif t == "private_key":
            lines.append(F('+SIGNING_KEY = "{v}\\n"', v=ctx.pem(escaped_newlines=True)))
        elif t == "ip":
            lines.append(F('+ALLOWED_HOSTS = ["{v}", "localhost"]', v=ctx.ip()))
        elif t == "custom":
            lines.append(F("+# {v} settings", v=ctx.custom(pick(["Project Falcon", "Bluebird"]))))
        elif t == "email":
            lines.append(F('+ADMIN_EMAIL = "{v}"', v=ctx.email()))
        else:
            lines.append(F("+# {x}", x=field(ctx, t)))
    lines.append(F(" " + pick(["DEBUG = False", "TIMEOUT = 30", "})", "  replicas: 2"])))
    instr = cx_pick(
        is_cx,
        [
            "Review this diff before I push:",
            "Write a commit message for this diff:",
            "Is this change OK to merge?",
            "What does this diff change?",
        ],
        [
            "Review this diff as a senior engineer: list every problem by severity, explain how each could be exploited"
            " or break production, propose a corrected diff, and describe how to clean up git history if it was pushed:",
        ],
    )
    return F("{i}\n\n```diff\n{d}\n```", i=instr, d=join(lines, "\n"))


def c_trace(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    host = ctx.ip() if "ip" in types else F(pick(["db.internal", "10-0-3-12.internal", "postgres"]))
    pw = ctx.password(url_safe=True) if "password" in types else None
    lines = [
        F("Traceback (most recent call last):"),
        F('  File "app/db.py", line 42, in connect'),
        F("    engine = create_engine(settings.DATABASE_URL)"),
    ]
    lines.append(
        F(
            'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "{h}", port 5432'
            ' failed: FATAL:  password authentication failed for user "app"',
            h=host,
        )
    )
    extra = []
    if pw is not None:
        extra.append(F("My DATABASE_URL is postgresql://app:{pw}@{h}:5432/orders", pw=pw, h=host))
    for t in types:
        if t not in ("ip", "password"):
            extra.append(prose(ctx, t))
    instr = cx_pick(
        is_cx,
        [
            "What's causing this error?",
            "How do I fix this?",
            "Why does this only fail in production?",
        ],
        [
            "Explain this failure, list every plausible cause ranked by likelihood with how to confirm each one, and write"
            " a health-check script that distinguishes network, DNS, credential and TLS problems:",
        ],
    )
    return F("{i}\n\n{t}\n\n{x}", i=instr, t=join(lines, "\n"), x=join(extra))


def c_code(ctx: Ctx, types: list[str], is_cx: bool) -> B:
    lines = [F("import requests"), F("")]
    for t in types:
        if t == "api_key":
            _label, env, v = ctx.api(
                pick(["openai", "stripe", "github", "google", "sendgrid", "anthropic", "slack"])
            )
            lines.append(F('{e} = "{v}"', e=env, v=v))
        elif t == "password":
            lines.append(F('DB_PASS = "{v}"', v=ctx.password()))
        elif t == "ip":
            lines.append(F('BASE_URL = "http://{v}:8000"', v=ctx.ip()))
        elif t == "email":
            lines.append(F('NOTIFY = "{v}"', v=ctx.email()))
        elif t == "custom":
            lines.append(
                F("# {v}", v=ctx.custom(pick(["Project Falcon", "Bluebird", "CONFIDENTIAL"])))
            )
        elif t == "private_key":
            lines.append(F('KEY_PEM = """{v}"""', v=ctx.pem()))
        else:
            lines.append(F("# test data: {x}", x=field(ctx, t)))
    lines += [
        F(""),
        F("def fetch(path):"),
        F("    r = requests.get(path, timeout=10)"),
        F("    r.raise_for_status()"),
        F("    return r.json()"),
    ]
    instr = cx_pick(
        is_cx,
        [
            "Why do I get an authentication error with this code?",
            "Refactor this into a small class:",
            "Add type hints to this:",
            "Why does this hang sometimes?",
        ],
        [
            "Refactor this script into a testable package: separate configuration from code, add retries and error"
            " handling, write pytest tests with mocked HTTP, and explain each design decision:",
        ],
    )
    return F("{i}\n\n```python\n{c}\n```", i=instr, c=join(lines, "\n"))


# container: (function, compatible types)
PERSONAL = ["email", "phone", "card", "iban", "ssn", "national_id", "dob"]
CONTAINERS = {
    "email_summary": (c_email_summary, [*PERSONAL, "custom", "password", "ip"]),
    "draft_reply": (c_draft_reply, [*PERSONAL, "custom", "password"]),
    "chat": (c_chat, [*PERSONAL, "custom", "password", "ip", "api_key"]),
    "translate": (c_translate, [*PERSONAL, "custom", "password"]),
    "crm_note": (c_crm_note, [*PERSONAL, "custom", "ip"]),
    "ticket": (c_ticket, [*PERSONAL, "ip", "password", "custom", "api_key"]),
    "form": (c_form, PERSONAL),
    "csv": (c_csv, list(CSV_COLS)),
    "hr": (c_hr, [*PERSONAL, "password", "custom"]),
    "payment": (c_payment, ["email", "iban", "phone", "custom", "card"]),
    "memo": (c_memo, ["custom", "email", "phone", "iban", "dob", "password", "ip", "card"]),
    "config": (c_config, ["api_key", "password", "ip", "email", "private_key", "custom"]),
    "log": (c_log, ["ip", "email", "api_key", "password", "custom"]),
    "pem": (c_pem, ["private_key", "ip", "password", "email"]),
    "curl": (c_curl, ["api_key", "ip"]),
    "diff": (c_diff, ["api_key", "password", "private_key", "ip", "custom", "email"]),
    "trace": (c_trace, ["password", "ip", "email"]),
    "code": (c_code, ["api_key", "password", "ip", "email", "custom"]),
}
# containers a type may lead in (primary type -> containers)
LEADS = {
    "email": [
        "email_summary",
        "draft_reply",
        "chat",
        "crm_note",
        "ticket",
        "form",
        "csv",
        "payment",
        "translate",
        "hr",
    ],
    "phone": [
        "email_summary",
        "draft_reply",
        "chat",
        "crm_note",
        "ticket",
        "form",
        "csv",
        "translate",
        "hr",
    ],
    "card": ["chat", "ticket", "email_summary", "draft_reply", "csv", "form", "translate"],
    "iban": ["payment", "hr", "chat", "email_summary", "draft_reply", "form", "csv", "translate"],
    "ssn": ["form", "hr", "chat", "ticket", "csv", "email_summary", "crm_note"],
    "national_id": ["form", "hr", "chat", "ticket", "csv", "email_summary", "translate"],
    "dob": ["form", "hr", "chat", "ticket", "csv", "email_summary", "crm_note", "draft_reply"],
    "ip": ["log", "log", "config", "chat", "ticket", "curl", "trace", "csv"],
    "api_key": ["config", "curl", "diff", "code", "chat", "log", "config"],
    "private_key": ["pem", "pem", "config", "diff"],
    "password": ["config", "trace", "chat", "ticket", "hr", "log", "diff", "code"],
    "custom": ["memo", "memo", "chat", "email_summary", "config", "log", "crm_note", "draft_reply"],
}


def pick_loc(primary: str) -> str:
    if primary == "ssn":
        return "en_US"
    if primary == "national_id":
        return pick(list(NATIONAL_ID))
    if primary == "iban":
        return rng.choices(
            ["en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "en_US"], [3, 3, 2, 2, 2, 1]
        )[0]
    return rng.choices(LOCALES, [28, 16, 10, 9, 9, 9, 10, 9])[0]


def allowed_in_loc(t: str, loc: str) -> bool:
    if t == "ssn":
        return loc == "en_US"
    if t == "national_id":
        return loc != "en_US"
    return True


def build_positive(
    primary: str,
    obf_types=(),
    obf_budget: int = 0,
    cx_rate: float = 0.18,
    lead_override: list[str] | None = None,
) -> tuple[B, Ctx, bool]:
    loc = pick_loc(primary)
    ctx = Ctx(loc, obf_types, obf_budget)
    cname = pick(lead_override or LEADS[primary])
    if lead_override is None and loc in NATIVE and primary in NATIVE[loc] and chance(0.25):
        cname = "chat"  # some prompts in the locale's own language
    fn, compat = CONTAINERS[cname]
    pool = [t for t in compat if t != primary and allowed_in_loc(t, loc)]
    k = rng.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]
    types = [primary, *rng.sample(pool, min(k, len(pool)))]
    rng.shuffle(types)
    is_cx = chance(cx_rate)
    return fn(ctx, types, is_cx), ctx, is_cx


# ======================================================================================
# Hard negatives: realistic requests with number-/key-/date-like material, no sensitive data
# ======================================================================================


def isbn13() -> str:
    body = "978" + rs(DG, 9)
    full = body + ean.calc_check_digit(body)
    return pick(
        [
            f"{full[:3]}-{full[3]}-{full[4:7]}-{full[7:12]}-{full[12]}",
            full,
            f"{full[:3]}-{full[3:5]}-{full[5:9]}-{full[9:12]}-{full[12]}",
        ]
    )


def rand_uuid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def sha(n: int = 40) -> str:
    return rs(HEX, n)


def tracking() -> tuple[str, str]:
    return pick(
        [
            ("UPS", "1Z" + rs(UP + DG, 6) + rs(DG, 10)),
            ("USPS", " ".join(["9400"] + [rs(DG, 4) for _ in range(4)] + [rs(DG, 2)])),
            ("Royal Mail", rs(UP, 2) + rs(DG, 9) + "GB"),
            ("DHL", rs(DG, 10)),
            ("FedEx", rs(DG, 12)),
            ("DPD", "1550" + rs(DG, 10)),
            ("PostNL", "3S" + rs(UP, 4) + rs(DG, 9)),
        ]
    )


def semver() -> str:
    base = f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 15)}"
    return base + pick(
        [
            "",
            "",
            f"-beta.{rng.randint(1, 5)}",
            f"-rc.{rng.randint(1, 3)}",
            f"-alpha+build.{rng.randint(10, 999)}",
        ]
    )


DATE_STYLES = [
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: d.strftime("%d.%m.%Y"),
]


def future_dates(n: int = 1) -> list[str]:
    """n dates in 2024-2026, ascending, one format for all of them."""
    style = pick(DATE_STYLES)
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 800))
    out = [start]
    for _ in range(n - 1):
        out.append(out[-1] + dt.timedelta(days=rng.randint(5, 120)))
    return [style(d) for d in out]


def future_date() -> str:
    return future_dates(1)[0]


def hist_date() -> str:
    return pick(
        [
            "4 July 1776",
            "14 July 1789",
            "9 November 1989",
            "20 July 1969",
            "11 November 1918",
            "6 June 1944",
            "15 August 1947",
            "1 January 2002",
            "12 April 1961",
            "19 October 1987",
            "3 October 1990",
            "28 June 1914",
            "24 October 1929",
            "15 April 1912",
            "26 April 1986",
        ]
    )


PKGS = [
    ("pandas", "2.2"),
    ("numpy", "1.26"),
    ("Django", "5.0"),
    ("requests", "2.31"),
    ("SQLAlchemy", "2.0"),
    ("pydantic", "2.7"),
    ("torch", "2.3"),
    ("langchain", "0.2"),
    ("fastapi", "0.111"),
    ("scikit-learn", "1.5"),
    ("react", "18.3"),
    ("next", "14.2"),
    ("typescript", "5.4"),
    ("webpack", "5.91"),
]
SERVICES = [
    "Gmail",
    "Netflix",
    "Spotify",
    "PlayStation Network",
    "Microsoft",
    "Apple ID",
    "Steam",
    "LinkedIn",
    "Instagram",
    "my bank's app",
    "the company VPN",
    "GitHub",
    "Amazon",
    "Zoom",
]


def neg_order() -> str:
    o = order_no().replace("INV-", "ORD-")
    return pick(
        [
            f"My order {o} hasn't arrived and it's been {rng.randint(5, 30)} days. Write a short complaint to the shop.",
            f"The shop says order {o} was delivered but it wasn't. What are my options?",
            f"Write a polite message asking why order {o} was split into {rng.randint(2, 4)} shipments.",
            f"How do I ask the seller to cancel order {o} before it ships?",
        ]
    )


def neg_invoice() -> str:
    inv = "invoice " + pick(
        [
            f"INV-{rng.randint(2023, 2025)}-{rng.randint(1, 99999):05d}",
            f"{rng.randint(2024, 2025)}/{rng.randint(100, 999)}",
            f"RE-{rng.randint(100000, 999999)}",
            f"no. {rng.randint(1000, 99999)}",
        ]
    )
    amt = pick(AMOUNTS)
    return pick(
        [
            f"{inv[0].upper() + inv[1:]} for €{amt} is overdue by {rng.randint(3, 60)} days. Draft a polite reminder to the client.",
            f"How should I number invoices? We're at {inv.split(' ', 1)[1]} and want to switch to a yearly scheme.",
            f"Our accounting software rejected {inv} as a duplicate. What usually causes that?",
            f"Write a line-item description for {inv}: {rng.randint(2, 40)} hours of consulting at €{rng.randint(60, 180)}/h.",
        ]
    )


def neg_tracking() -> str:
    carrier, t = tracking()
    return pick(
        [
            f"Where is my parcel? {carrier} tracking number {t} has said 'in transit' for a week.",
            f"What does 'exception' mean for {carrier} shipment {t}?",
            f"Is {t} a {carrier} tracking number or something else?",
            f"Write a message to {carrier} asking them to redeliver {t} on Saturday.",
        ]
    )


def neg_version() -> str:
    pkg, mm = pick(PKGS)
    v1 = f"{mm}.{rng.randint(0, 9)}"
    v2 = f"{mm.split('.')[0]}.{int(mm.split('.')[1]) + rng.randint(1, 3)}.{rng.randint(0, 5)}"
    build = f"10.0.{pick([19041, 19044, 19045, 22621, 22631, 26100])}.{rng.randint(1000, 5000)}"
    chrome = f"{rng.randint(118, 131)}.0.{rng.randint(5900, 6800)}.{rng.randint(50, 200)}"
    return pick(
        [
            f"After upgrading {pkg} from {v1} to {v2}, my build fails. What changed between those versions?",
            f"Should I pin {pkg}=={v2} or use ~={mm}?",
            f"Is {pkg} {v2} compatible with Python 3.{rng.randint(8, 13)}?",
            f"Windows says I'm on build {build}. Is that 22H2 or 23H2?",
            f"Is Chrome {chrome} affected by the latest zero-day?",
            f"What's the difference between v{semver()} and v{semver()} in SemVer terms?",
            f"My phone is on iOS {rng.randint(15, 18)}.{rng.randint(0, 6)}.{rng.randint(1, 3)}. Should I update?",
            f"Why does `node --version` print v{rng.randint(16, 22)}.{rng.randint(0, 20)}.{rng.randint(0, 9)} in the terminal but VS Code uses another version?",
        ]
    )


def neg_semver() -> str:
    return pick(
        [
            f"Explain why {semver()} sorts before {semver()} according to SemVer precedence rules.",
            f"Write a regex that matches SemVer strings like {semver()} and {semver()}.",
            f"Our changelog goes from {semver()} to {semver()}. Which kind of bump should the next breaking change be?",
        ]
    )


def neg_dates() -> str:
    d, d2 = future_dates(2)
    t1, t2 = (
        f"{rng.randint(8, 12)}:{pick(['00', '15', '30', '45'])}",
        f"{rng.randint(13, 18)}:{pick(['00', '30'])}",
    )
    return pick(
        [
            f"Turn this into a calendar invite description: team offsite on {d} from {t1} to {t2} at the Leeds office.",
            f"How many working days are there between {d} and {d2}?",
            f"What day of the week is {d}?",
            f"What day of the week was {hist_date()}?",
            f"Write a short paragraph about what happened on {hist_date()}.",
            f"The contract starts on {d} with a 90-day notice period. When is the last day to give notice for a one-year term?",
            f"Remind me how to format the date {d} in ISO 8601 and in US style.",
            f"Our sprint runs {d} to {d2}. Draft a sprint-goal announcement.",
            f"The warranty on my washing machine ends {d}. Is it worth buying the extension?",
        ]
    )


def neg_isbn() -> str:
    i = isbn13()
    return pick(
        [
            f"Format this reference in APA style: Martin, R. C. (2008). Clean Code. Prentice Hall. ISBN {i}.",
            f"Is {i} a valid ISBN-13? Walk me through the check digit.",
            f"Convert ISBN {i} to ISBN-10 if possible.",
            f"What's the best way to store ISBNs like {i} in a database column?",
        ]
    )


def neg_uuid() -> str:
    u = rand_uuid()
    return pick(
        [
            f"Write a SQL query that returns the order with id '{u}' and its line items.",
            f'Postgres says invalid input syntax for type uuid: "{u[:-1]}". What\'s wrong?',
            f"Is {u} a version 4 UUID? How can you tell?",
            f"Why does my API return 404 for /items/{u}?",
            f"How do I generate UUIDs like {u} in Go?",
        ]
    )


def neg_git() -> str:
    s7, s40 = sha(7), sha(40)
    return pick(
        [
            f"How do I revert commit {s7} without losing the changes after it?",
            f"git bisect says {s40} is the first bad commit. What do I do now?",
            f"How do I cherry-pick {s7} onto the release branch?",
            f"What does 'fatal: bad object {s40}' mean?",
            f"Write a commit message for a change that reverts {s7} (a broken migration).",
        ]
    )


def neg_price() -> str:
    return pick(
        [
            f"Is ${rng.randint(600, 2500)}.99 a fair price for a laptop with 16 GB RAM?",
            f"Calculate VAT at 20% on £{rng.randint(10, 5000)}.{rng.randint(0, 99):02d}.",
            f"Convert €{rng.randint(10, 9000)},{rng.randint(0, 99):02d} to US dollars at 1.08.",
            f"If a coffee costs £{rng.randint(2, 5)}.{rng.randint(0, 99):02d} and I buy one every workday, what's that per year?",
            f"Our SaaS costs ${rng.randint(9, 99)}/seat/month. What's the annual price for {rng.randint(10, 500)} seats with 15% off?",
        ]
    )


def neg_math() -> str:
    a, b = rng.randint(10**12, 10**15), rng.randint(10**8, 10**10)
    n = rng.randint(10**9, 10**13)
    return pick(
        [
            f"Compute {a} * {b}.",
            f"Is {n} a prime number?",
            f"What is {a} mod 97?",
            f"Convert {n} to hexadecimal.",
            f"What's the sum of the digits of {a}?",
            f"Factorise {n}.",
            f"Round {a / 7:.6f} to 3 significant figures.",
            f"How many seconds are in {rng.randint(2, 90)} years, ignoring leap years? Then divide by {b}.",
            f"What's {rng.randint(1000, 9999)} + {rng.randint(1000, 9999)} + {rng.randint(1000, 9999)}?",
            f"Convert the Unix timestamp {rng.randint(1_500_000_000, 1_800_000_000)} to a UTC date.",
            f"Compute the mean and standard deviation of: {', '.join(str(rng.randint(10, 999)) for _ in range(rng.randint(6, 12)))}.",
        ]
    )


def neg_code() -> tuple[str, bool]:
    snippets = [
        "FNV_OFFSET = 14695981039346656037\nFNV_PRIME = 1099511628211\n\ndef fnv1a(data: bytes) -> int:\n"
        "    h = FNV_OFFSET\n    for b in data:\n        h ^= b\n        h = (h * FNV_PRIME) % 2**64\n    return h",
        f"MAX_UPLOAD_BYTES = {pick([10485760, 26214400, 52428800])}\nCHUNK = {pick([65536, 1048576])}\n\n"
        "def chunks(f):\n    while True:\n        block = f.read(CHUNK)\n        if not block:\n            break\n        yield block",
        f"SEED = {rng.randint(10**9, 10**10)}\nrandom.seed(SEED)\nsample = random.sample(range(1_000_000), k={rng.randint(10, 1000)})",
        "GOLDEN = 0x9E3779B97F4A7C15\n\ndef mix(x):\n    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & (2**64 - 1)\n"
        "    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & (2**64 - 1)\n    return x ^ (x >> 31)",
        f"const RETRY_DELAYS_MS = [{', '.join(str(250 * 2**i) for i in range(rng.randint(3, 7)))}];\n"
        "async function withRetry(fn) {\n  for (const d of RETRY_DELAYS_MS) {\n    try { return await fn(); }\n"
        "    catch (e) { await new Promise(r => setTimeout(r, d)); }\n  }\n  return fn();\n}",
        f"SELECT customer_id, SUM(amount) FROM payments\nWHERE created_at >= '2024-01-01'\nGROUP BY customer_id\n"
        f"HAVING SUM(amount) > {rng.randint(1000, 100000)}\nORDER BY 2 DESC\nLIMIT {rng.randint(10, 100)};",
        'API_KEY = os.environ["API_KEY"]\nPASSWORD = os.environ.get("DB_PASSWORD")\n\nif not API_KEY:\n'
        '    raise SystemExit("set API_KEY first")',
        "def luhn_ok(number: str) -> bool:\n    digits = [int(c) for c in number if c.isdigit()]\n"
        "    total = 0\n    for i, d in enumerate(reversed(digits)):\n        if i % 2:\n            d = d * 2 - 9 if d > 4 else d * 2\n"
        "        total += d\n    return total % 10 == 0",
    ]
    code = pick(snippets)
    is_cx = chance(0.25)
    if is_cx:
        q = pick(
            [
                "Review this code in depth: explain what it does, analyse its complexity and edge cases, find any"
                " bugs, then rewrite it idiomatically with tests covering the edge cases you found.",
                "Port this to Rust and C#, explain the differences in integer overflow semantics between the three"
                " languages, and write property-based tests that prove the ports agree.",
            ]
        )
    else:
        q = pick(
            [
                "What does this code do?",
                "Add comments to this:",
                "Is there a bug here?",
                "Why does this give a different result on Windows?",
                "Convert this to TypeScript:",
            ]
        )
    return f"{q}\n\n```\n{code}\n```", is_cx


def neg_postcode() -> str:
    loc = pick(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "en_CA"])
    pc = FK[loc].postcode()
    country = {
        "en_US": "US ZIP code",
        "en_GB": "UK postcode",
        "de_DE": "German postcode",
        "fr_FR": "French code postal",
        "es_ES": "Spanish código postal",
        "nl_NL": "Dutch postcode",
        "en_CA": "Canadian postal code",
    }[loc]
    return pick(
        [
            f"Which region does the {country} {pc} belong to?",
            f"Write a regex that validates a {country} like {pc}.",
            f"Is {pc} a valid {country} format?",
            f"How are {country}s like {pc} structured?",
        ]
    )


def neg_years() -> str:
    y = rng.randint(1900, 2023)
    return pick(
        [
            f"What were the main events of {y}?",
            f"Summarise the tech industry in {y} in five bullets.",
            f"Which films won the big awards in {y}?",
            f"How much was £100 in {y} worth in today's money?",
            f"What was the population of London in {y}, roughly?",
        ]
    )


def neg_sku() -> str:
    sku = pick(
        [
            f"{rs(UP, 2)}-{rng.randint(1000, 9999)}-{pick(['BLK', 'WHT', 'RED', 'NVY'])}-{pick(['S', 'M', 'L', 'XL'])}",
            f"{rng.randint(10000, 99999)}-{rs(UP, 3)}",
            f"{rs(UP, 1)}{rng.randint(100000, 999999)}",
            f"{rs(UP, 3)}{rng.randint(100, 999)}/{rng.randint(10, 99)}",
        ]
    )
    return pick(
        [
            f"Our inventory shows SKU {sku} at 0 units. Write a restock request to the supplier.",
            f"Write a product description for item {sku}: a merino wool jumper.",
            f"Why would the same barcode map to SKU {sku} and another SKU in our system?",
            f"Generate five variant SKUs following the pattern of {sku}.",
        ]
    )


def choose(options: list[str], i: int | None) -> str | None:
    """A random option, or with i the i-th (None past the end) so every option can be used once."""
    if i is None:
        return pick(options)
    return options[i] if i < len(options) else None


def neg_words(i: int | None = None) -> str | None:
    svc = pick(SERVICES)
    return choose(
        [
            f"How do I reset my {svc} password?",
            "What makes a strong password?",
            "Is it safe to let the browser save passwords?",
            "My password manager says one of my passwords was in a breach. What should I do?",
            "What's the difference between an access token and a refresh token?",
            "How long should a JWT access token live?",
            "How do I rotate API keys in AWS without downtime?",
            "Where do I find my Stripe secret key in the dashboard?",
            "Why do OpenAI API keys start with sk-?",
            "Explain how PEM private key files are structured, without an example key.",
            "What is an IBAN and how is its check digit computed?",
            "How do I apply for a National Insurance number?",
            "Is it safe to give my Social Security number to a landlord?",
            "How is a Luhn check digit computed?",
            "How does the Dutch BSN 11-test work?",
            "Why do banks ask for your date of birth on the phone?",
            f"I forgot my {svc} password and no longer have the recovery phone. What can I do?",
            "Should I use passkeys instead of passwords?",
            "What's the difference between a token bucket and a leaky bucket?",
            "What is a personal access token on GitHub used for?",
            "How do I store an API key securely in a React Native app?",
            "What does 2FA protect against if someone already has my password?",
            f"Write a friendly reminder to staff that {svc} passwords must be changed every 90 days.",
            "How do I generate an SSH key pair on Windows?",
            "What does 'token expired' mean when I log in?",
            "Explain public vs private keys to a ten-year-old.",
            "What's a CVV and why shouldn't shops store it?",
            "The UK NI number format looks like QQ 12 34 56 C. What do the letters mean?",
            "What's the format of a Spanish DNI and how is the letter calculated?",
        ],
        i,
    )


def neg_example_domain(i: int | None = None) -> str | None:
    return choose(
        [
            "Why do documentation pages always use example.com?",
            "Configure nginx so that example.com and www.example.com serve the same site.",
            "Write a regex that matches URLs like https://www.example.com/path?query=1.",
            "How do I set up SPF and DKIM for my domain?",
            "What's the difference between CC and BCC in email?",
            "Is it 'e-mail' or 'email' in British English?",
            "How do I point example.org at a Netlify site with a CNAME?",
            "What does the @ mean in an email address?",
            "How do I write a mailto link that pre-fills the subject line?",
            "Why is my newsletter landing in spam?",
        ],
        i,
    )


def neg_short_numbers(i: int | None = None) -> str | None:
    return choose(
        [
            "What's the emergency number in Spain, 112 or 091?",
            "In the UK should I call 999 or 112?",
            "What does dialling *#06# show?",
            f"Text STOP to {rng.randint(60000, 89999)} to unsubscribe - does that work from abroad?",
            "Why do films use phone numbers starting with 555?",
            "Is 111 the right number for non-emergency medical help in England?",
            f"What's extension {rng.randint(100, 9999)} in a phone system?",
            "Why is the US emergency number 911?",
        ],
        i,
    )


def neg_ipish(i: int | None = None) -> str | None:
    return choose(
        [
            "What does 255.255.255.0 mean as a subnet mask?",
            f"How many usable hosts are in a /{rng.randint(20, 29)} network?",
            "Why does my app bind to 0.0.0.0 instead of 127.0.0.1?",
            "Is 8.8.8.8 or 1.1.1.1 faster for DNS?",
            "What is the loopback address 127.0.0.1 used for?",
            "Explain CIDR notation to a beginner.",
            "What's the difference between IPv4 and IPv6?",
            "Why does localhost sometimes resolve to ::1?",
            "How do I find my router's admin page address?",
            "Convert the subnet mask 255.255.240.0 to CIDR.",
        ],
        i,
    )


def neg_hash() -> str:
    a = sha(64)
    b = a[:-1] + pick([c for c in HEX if c != a[-1]])
    return pick(
        [
            f"The SHA-256 of the ISO I downloaded is {a} but the website lists {b}. Is the file corrupted?",
            f"What hash algorithm produces a digest like {sha(32)}?",
            f"Is {sha(64)} a SHA-256 or SHA3-256 hash?",
            f"Docker pulled image digest sha256:{a}. How do I pin it in my compose file?",
        ]
    )


def neg_ids() -> str:
    return pick(
        [
            f"Summarise CVE-{rng.randint(2019, 2025)}-{rng.randint(1000, 49999)} for a non-technical audience.",
            f"Write acceptance criteria for Jira ticket {rs(UP, rng.randint(2, 4))}-{rng.randint(10, 9999)}: 'export report to CSV'.",
            f"My flight {pick(['BA', 'LH', 'AF', 'KL', 'IB', 'FR', 'U2'])}{rng.randint(100, 9999)} was delayed {rng.randint(3, 8)} hours. Am I entitled to compensation?",
            f"What does Windows error 0x{rs('0123456789ABCDEF', 8)} mean?",
            f"What's the difference between HTTP {pick([429, 503, 504, 502])} and {pick([500, 400, 408])}?",
            f"Which GPU is in a laptop with model number {rs(UP, 2)}{rng.randint(10, 99)}-{rng.randint(1000, 9999)}?",
            f"Is the router with serial prefix {rs(UP + DG, 4)} affected by the firmware recall?",
            f"What colour is #{rs('0123456789ABCDEF', 6)}?",
            f"What's at coordinates {rng.uniform(-60, 60):.4f}, {rng.uniform(-120, 120):.4f}?",
            f"Which train is faster, ICE {rng.randint(500, 1999)} or IC {rng.randint(2000, 2999)}?",
        ]
    )


def neg_falcon(i: int | None = None) -> str | None:
    return choose(
        [
            "How fast is a peregrine falcon in a dive?",
            "What payload can a Falcon 9 carry to low Earth orbit?",
            "Summarise the Falcon 180B model card.",
            "Who is the Falcon in the Marvel films?",
            "What's the difference between a falcon and a hawk?",
            "Explain how Falcon 9 boosters land.",
            "What was Project Gutenberg's first ebook?",
            "How do I structure a project plan for a small website?",
            "What's a good name for a project about bird migration?",
            "Which blue birds are common in British gardens?",
        ],
        i,
    )


def neg_misc(i: int | None = None) -> str | None:
    return choose(
        [
            "What's the secret to crispy roast potatoes?",
            "What key is 'Hey Jude' in?",
            "How do private schools in the UK work?",
            "Our office is open 09:00-17:30, Monday to Friday. Write an out-of-office message.",
            f"=VLOOKUP(A2,Sheet2!$A$2:$D${rng.randint(500, 9000)},4,FALSE) returns #N/A. Why?",
            "What do the first digits of a card number tell you about the issuer?",
            "What is a BIC code like DEUTDEFF used for?",
            f"Convert {rng.randint(10, 300)} km/h to mph.",
            f"How many ounces are in {rng.randint(2, 20)} pounds?",
            "Which Bible verse is John 3:16?",
            f"Who won the {rng.randint(1990, 2023)} World Series?",
            "Is it better to pay off a loan at 4.9% APR or invest at 6%?",
        ],
        i,
    )


def neg_native() -> tuple[str, str]:
    loc = pick(["de_DE", "fr_FR", "es_ES", "nl_NL"])
    o = f"{rng.randint(100000, 999999)}"
    texts = {
        "de_DE": [
            f"Meine Bestellung Nr. {o} ist noch nicht angekommen. Schreib bitte eine kurze Beschwerde.",
            "Wie setze ich mein Passwort bei der Sparkasse zurück?",
            f"Was kostet ein Deutschlandticket im Jahr {rng.randint(2024, 2026)}?",
            f"Rechne {rng.randint(1000, 99999)} mal {rng.randint(100, 9999)} aus.",
            "Wie funktioniert die Prüfziffer einer IBAN?",
        ],
        "fr_FR": [
            f"Ma commande n° {o} n'est toujours pas arrivée. Rédige une réclamation courte.",
            "Comment réinitialiser mon mot de passe Ameli ?",
            f"Combien font {rng.randint(1000, 99999)} fois {rng.randint(100, 9999)} ?",
            "Quelle est la différence entre un RIB et un IBAN ?",
            f"Quel jour de la semaine tombe le {rng.randint(1, 28)} mars {rng.randint(2024, 2026)} ?",
        ],
        "es_ES": [
            f"Mi pedido n.º {o} no ha llegado. Escribe una reclamación breve.",
            "¿Cómo cambio la contraseña del wifi del router?",
            f"¿Cuánto es {rng.randint(1000, 99999)} por {rng.randint(100, 9999)}?",
            "¿Cómo se calcula la letra del DNI?",
            f"¿Qué día de la semana es el {rng.randint(1, 28)} de mayo de {rng.randint(2024, 2026)}?",
        ],
        "nl_NL": [
            f"Mijn bestelling {o} is nog niet binnen. Schrijf een korte klacht.",
            "Hoe reset ik mijn DigiD-wachtwoord?",
            f"Hoeveel is {rng.randint(1000, 99999)} keer {rng.randint(100, 9999)}?",
            "Hoe werkt de elfproef voor een BSN?",
            f"Welke dag van de week is {rng.randint(1, 28)} juni {rng.randint(2024, 2026)}?",
        ],
    }
    return pick(texts[loc]), loc


def neg_long_complex() -> tuple[str, bool]:
    v1, v2 = semver(), semver()
    return pick(
        [
            f"We're upgrading our monorepo from Django 4.2 to 5.0 and Python 3.9 to 3.12 (currently on {v1} of our internal"
            " SDK). Write a migration plan with phases, risks, a test strategy, rollback steps and an estimate of effort for"
            " a team of four.",
            f"Our release train uses SemVer. Between {v1} and {v2} we removed two endpoints, added a field and fixed a bug."
            " Decide the correct next version, justify it, write the changelog, and propose a deprecation policy.",
            f"Model the cost of storing {rng.randint(2, 90)} TB of logs for 13 months on S3 Standard, Standard-IA and"
            " Glacier with lifecycle rules; show the calculation, compare the totals and recommend a policy.",
            f"Orders ORD-{rng.randint(10000, 99999)} to ORD-{rng.randint(100000, 199999)} were double-charged during a"
            " deploy. Design a reconciliation job: data model, idempotency strategy, SQL to find affected orders, and a"
            " communication plan (no customer data is needed here).",
            f"Our build pipeline takes {rng.randint(18, 70)} minutes. Stages: install ({rng.randint(2, 9)} min), lint"
            f" ({rng.randint(1, 5)} min), unit tests ({rng.randint(5, 25)} min), integration tests ({rng.randint(5, 30)} min),"
            " docker build and push. Propose a redesign with caching and parallelism, estimate the new duration, explain"
            " the trade-offs, and give the GitHub Actions YAML.",
            f"Tracking numbers from UPS (like 1Z{rs(UP + DG, 6)}{rs(DG, 10)}), Royal Mail ({rs(UP, 2)}{rs(DG, 9)}GB) and"
            " DHL (10 digits) arrive in one free-text field. Write a parser that identifies the carrier, validates check"
            " digits where they exist, handles ambiguous cases, and include a test suite with edge cases.",
            f"We have {rng.randint(3, 40)} microservices pinned to different versions of our logging library (from"
            f" {semver()} to {semver()}). Work out an upgrade order that respects their dependency graph, explain how to"
            " detect breaking changes automatically, and write a rollout and rollback plan.",
            "Explain how the invoice numbering scheme INV-YYYY-NNNNN could leak business volume to customers, compare"
            " three alternative schemes (random, hashed, per-customer sequences) against legal requirements for gapless"
            " numbering in Germany and France, and recommend one with a migration plan.",
        ]
    ), True


# families whose options are each used once before the random draws
FIXED_NEG_FAMILIES = [
    neg_words,
    neg_example_domain,
    neg_short_numbers,
    neg_ipish,
    neg_falcon,
    neg_misc,
]

NEG_FAMILIES = [
    (neg_order, 6),
    (neg_invoice, 5),
    (neg_tracking, 6),
    (neg_version, 7),
    (neg_semver, 3),
    (neg_dates, 8),
    (neg_isbn, 3),
    (neg_uuid, 4),
    (neg_git, 4),
    (neg_price, 4),
    (neg_math, 8),
    (neg_code, 5),
    (neg_postcode, 4),
    (neg_years, 3),
    (neg_sku, 4),
    (neg_words, 8),
    (neg_example_domain, 3),
    (neg_short_numbers, 3),
    (neg_ipish, 3),
    (neg_hash, 3),
    (neg_ids, 6),
    (neg_falcon, 2),
    (neg_misc, 4),
    (neg_native, 4),
    (neg_long_complex, 7),
]


# ======================================================================================
# Complexity part: no sensitive data, balanced complex/simple
# ======================================================================================

PROOFS = [
    "there are infinitely many primes",
    "the square root of 2 is irrational",
    "there are infinitely many primes of the form 4k+3",
    "every finite group of prime order is cyclic",
    "the sum of the first n odd numbers is n^2",
    "a continuous function on a closed interval attains its maximum",
    "the harmonic series diverges",
    "every tree with n vertices has n-1 edges",
    "e is irrational",
    "the set of real numbers is uncountable",
    "a graph is bipartite if and only if it has no odd cycles",
    "gcd(a, b) can be written as ax + by",
    "there is no largest prime gap bound of the form g(n) < 2 for all n using only elementary arguments, or explain why this is open",
    "the product of two consecutive integers is even",
    "the determinant of a product is the product of determinants",
    "every bounded monotone sequence converges",
    "the number of subsets of an n-element set is 2^n",
    "Fermat's little theorem",
    "the pigeonhole principle implies two people in London have the same number of hairs",
    "the halting problem is undecidable",
    "a square matrix is invertible iff its determinant is non-zero",
    "there are as many rationals as natural numbers",
    "Cauchy-Schwarz for real inner product spaces",
    "the angles of a triangle sum to 180 degrees in Euclidean geometry",
    "n^5 - n is divisible by 30 for every integer n",
]
PROOF_STYLES = [
    "Prove that {p}. Then explain which step would fail if we dropped one key assumption.",
    "Give a rigorous proof that {p}, state every lemma you rely on, and then give a second proof using a different technique.",
    "Prove that {p}, then write an intuitive explanation for a first-year student and a formal version suitable for a textbook.",
    "Prove that {p} and then generalise the result as far as you can, proving the generalisation too.",
]
SYSTEMS = [
    "URL shortener",
    "rate limiter for a multi-tenant API",
    "collaborative text editor",
    "notification service",
    "feature-flag system",
    "payments ledger",
    "search autocomplete service",
    "job scheduler with retries",
    "metrics ingestion pipeline",
    "chat application with read receipts",
    "image thumbnailing service",
    "multi-region key-value cache",
    "ride-matching service",
    "inventory reservation system for flash sales",
    "document versioning service",
    "web crawler that respects robots.txt",
    "event-sourced shopping cart",
    "leaderboard for an online game",
    "CI build cache",
    "audit-log service with tamper evidence",
]
SYS_CONSTRAINTS = [
    "{n} requests per second at peak",
    "p99 latency under {m} ms",
    "a team of {k} engineers",
    "strict consistency for writes",
    "a budget of ${b} per month",
    "data residency in the EU",
    "zero downtime deploys",
    "{n} daily active users",
]
COMPARE = [
    ("PostgreSQL", "MongoDB"),
    ("Kafka", "RabbitMQ"),
    ("React", "Svelte"),
    ("gRPC", "REST"),
    ("Rust", "Go"),
    ("Kubernetes", "a few VMs with systemd"),
    ("monorepo", "polyrepo"),
    ("event sourcing", "CRUD with audit tables"),
    ("server-side rendering", "a single-page app"),
    ("DynamoDB", "Cassandra"),
    ("Airflow", "Dagster"),
    ("Terraform", "Pulumi"),
    ("a data lake", "a data warehouse"),
    ("fine-tuning", "retrieval-augmented generation"),
]
USES = [
    "an analytics product for small shops",
    "a high-frequency IoT telemetry platform",
    "an internal HR tool",
    "a B2B invoicing SaaS",
    "a mobile game backend",
    "a research data platform at a university",
    "a logistics tracking system",
    "a public-sector case management system",
]
GENRES = [
    "short story",
    "essay",
    "op-ed",
    "product launch blog post",
    "speech",
    "travel article",
    "fable",
    "radio play script",
]
THEMES = [
    "a lighthouse keeper who stops the light for one night",
    "the last day of a family bookshop",
    "a city where it never stops raining",
    "the ethics of automating hiring",
    "why remote work changed cities",
    "a robot learning to garden",
    "a chess match between rivals",
    "the history of the humble pencil",
    "a migration of birds seen by a child",
    "a small village's first traffic light",
]
W_CONSTRAINTS = [
    "in the second person",
    "with no dialogue",
    "ending with a twist",
    "using exactly five sections with headings",
    "without using the letter 'z'",
    "with three recurring motifs",
    "in under {w} words",
    "in a formal register",
    "from two alternating points of view",
    "including a counter-argument and a rebuttal",
]

BUGGY_CODE = [
    (
        "Python",
        "def moving_average(xs, k):\n    out = []\n    s = sum(xs[:k])\n    for i in range(k, len(xs)):\n"
        "        out.append(s / k)\n        s += xs[i] - xs[i - k]\n    return out\n\n"
        "print(moving_average([1, 2, 3, 4, 5], 2))  # expected [1.5, 2.5, 3.5, 4.5]",
        "The output is missing the last average.",
    ),
    (
        "Python",
        "import threading\n\ncounter = 0\n\ndef work():\n    global counter\n    for _ in range(100_000):\n"
        "        counter += 1\n\nthreads = [threading.Thread(target=work) for _ in range(8)]\nfor t in threads: t.start()\n"
        "for t in threads: t.join()\nprint(counter)",
        "It sometimes prints less than 800000 on PyPy and on free-threaded CPython.",
    ),
    (
        "JavaScript",
        "async function loadAll(ids) {\n  const results = [];\n  ids.forEach(async (id) => {\n"
        "    const r = await fetch(`/api/items/${id}`);\n    results.push(await r.json());\n  });\n  return results;\n}\n",
        "loadAll always returns an empty array.",
    ),
    (
        "Go",
        "func worker(jobs <-chan int, wg *sync.WaitGroup) {\n\tfor j := range jobs {\n\t\tprocess(j)\n\t}\n}\n\n"
        "func main() {\n\tjobs := make(chan int)\n\tvar wg sync.WaitGroup\n\tfor i := 0; i < 4; i++ {\n\t\tgo worker(jobs, &wg)\n"
        "\t\twg.Add(1)\n\t}\n\tfor i := 0; i < 100; i++ {\n\t\tjobs <- i\n\t}\n\twg.Wait()\n}",
        "The program hangs forever after processing all jobs.",
    ),
    (
        "SQL",
        "SELECT c.id, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\n"
        "WHERE o.created_at >= '2024-01-01'\nGROUP BY c.id;",
        "Customers with no orders in 2024 are missing from the result, but I used a LEFT JOIN.",
    ),
    (
        "Python",
        "def add_item(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n\nprint(add_item(1))\nprint(add_item(2))",
        "The second call prints [1, 2] instead of [2].",
    ),
    (
        "Rust",
        "fn longest(words: &Vec<String>) -> &str {\n    let mut best = String::new();\n    for w in words {\n"
        "        if w.len() > best.len() { best = w.clone(); }\n    }\n    &best\n}",
        "It doesn't compile: 'cannot return reference to local variable'.",
    ),
    (
        "Python",
        "import asyncio\n\nasync def fetch(i):\n    await asyncio.sleep(1)\n    return i\n\nasync def main():\n"
        "    results = []\n    for i in range(10):\n        results.append(await fetch(i))\n    print(results)\n\nasyncio.run(main())",
        "It takes 10 seconds; I expected about 1 second.",
    ),
]

FACTS = [
    "What's the capital of Australia?",
    "How many continents are there?",
    "Who wrote Pride and Prejudice?",
    "What's the boiling point of water in Fahrenheit?",
    "How many legs does a spider have?",
    "What's the chemical symbol for gold?",
    "When did the Berlin Wall fall?",
    "What's the largest planet in the solar system?",
    "Who painted the Mona Lisa?",
    "What's the tallest mountain in Africa?",
    "How many days are in a leap year?",
    "What language is spoken in Brazil?",
    "What is the speed of light, roughly?",
    "Who discovered penicillin?",
    "What's the currency of Japan?",
    "How many players are on a football team?",
    "What's the longest river in Europe?",
    "What is the square root of 144?",
    "Which planet is known as the red planet?",
    "What does DNA stand for?",
    "What year did the Titanic sink?",
    "What's the freezing point of water in Celsius?",
    "Who was the first person on the Moon?",
    "What's the capital of Canada?",
    "How many bones are in the adult human body?",
    "What's the smallest prime number?",
    "Which ocean is the largest?",
    "What gas do plants absorb?",
    "Who composed the Four Seasons?",
    "How many minutes are in a day?",
    "What's the capital of Portugal?",
    "What's the main ingredient in guacamole?",
    "How many strings does a violin have?",
    "What's the plural of 'cactus'?",
    "What's the opposite of 'generous'?",
    "What time zone is London in during summer?",
    "What's 15% of 80?",
    "Is a tomato a fruit?",
    "How many sides does a hexagon have?",
    "What's the capital of Kenya?",
    "What does HTTP stand for?",
    "What's the default port for HTTPS?",
    "Who invented the telephone?",
    "What's the largest desert in the world?",
    "How many hours are in a week?",
    "What's the capital of Norway?",
]
GREETINGS = [
    "hi",
    "Hello!",
    "good morning",
    "hey there",
    "Thanks!",
    "thank you, that helped",
    "ok",
    "Hi, how are you?",
    "yo",
    "Good evening!",
    "cheers",
    "great, thanks",
    "bye!",
    "hello?",
    "Morning :)",
    "ta",
    "Hey!",
    "nice one",
    "Bonjour !",
    "Hola",
]
SHORT_SENTENCES = [
    "Send me the report now.",
    "The meeting is moved to Thursday.",
    "I can't come to the party.",
    "We need more time for this project.",
    "Your order has shipped.",
    "The printer is broken again.",
    "Please stop replying all.",
    "Lunch is on me today.",
    "I don't agree with this plan.",
    "The train was late again.",
    "Where is the train station?",
    "I would like a coffee, please.",
    "See you tomorrow.",
    "The shop closes at six.",
    "Thank you for your help.",
]
REWRITES = [
    "Rewrite this more politely: '{s}'",
    "Make this sound more formal: '{s}'",
    "Fix the grammar: '{s}'",
    "Make this shorter: '{s}'",
    "Say this more casually: '{s}'",
    "Rephrase: '{s}'",
]
WORDS = [
    "ephemeral",
    "ubiquitous",
    "serendipity",
    "pragmatic",
    "obfuscate",
    "idempotent",
    "laconic",
    "gregarious",
    "mitigate",
    "heuristic",
    "latency",
    "entropy",
    "paradigm",
    "recursion",
    "hygge",
    "zeitgeist",
    "schadenfreude",
    "ambivalent",
    "candid",
    "tenacious",
]
HOWTOS = [
    "How do I reverse a list in Python?",
    "How do I undo the last git commit?",
    "How do I centre a div?",
    "How do I make a table in Markdown?",
    "What's the shortcut to copy on a Mac?",
    "How do I list files in Linux?",
    "How do I lowercase a string in JavaScript?",
    "How do I comment out a line in YAML?",
    "How do I exit vim?",
    "How do I check my Python version?",
    "How do I merge two dicts in Python?",
    "How do I sort an array in Go?",
]


def cx_complex() -> str:
    kind = rng.choices(
        ["proof", "design", "debug", "compare", "writing", "data", "word", "plan"],
        [3, 3, 3, 2, 2, 2, 2, 1],
    )[0]
    if kind == "proof":
        return pick(PROOF_STYLES).format(p=pick(PROOFS))
    if kind == "design":
        cons = rng.sample(SYS_CONSTRAINTS, 3)
        cons = [
            c.format(
                n=f"{rng.randint(2, 500) * 1000:,}",
                m=pick([50, 100, 200]),
                k=rng.randint(2, 12),
                b=f"{rng.randint(1, 50) * 1000:,}",
            )
            for c in cons
        ]
        system = pick(SYSTEMS)
        return (
            f"Design {'an' if system[0] in 'aeiou' else 'a'} {system} with {cons[0]}, {cons[1]} and {cons[2]}. Cover the data model, API, storage"
            f" choices, caching, failure modes and how you'd test it, and justify each trade-off."
        )
    if kind == "debug":
        lang, code, symptom = pick(BUGGY_CODE)
        ask = pick(
            [
                "Find the root cause, explain it step by step, fix it, and add tests that would have caught it.",
                "Explain exactly why this happens, give two different fixes with their trade-offs, and describe how"
                " you would detect this class of bug automatically in CI.",
                "Walk through the execution to show where it goes wrong, then rewrite it correctly and explain the"
                " performance characteristics of your version.",
            ]
        )
        return f"{symptom} Here's the {lang} code:\n\n```\n{code}\n```\n\n{ask}"
    if kind == "compare":
        a, b = pick(COMPARE)
        return (
            f"Compare {a} and {b} for {pick(USES)}: (1) performance and scaling, (2) operational cost, (3) developer"
            f" experience, (4) failure modes. Then recommend one, state the assumptions your recommendation depends on,"
            f" and describe what would make you change your mind."
        )
    if kind == "writing":
        cons = [c.format(w=pick([800, 1000, 1500])) for c in rng.sample(W_CONSTRAINTS, 3)]
        return f"Write a {pick(GENRES)} about {pick(THEMES)}, {cons[0]}, {cons[1]}, and {cons[2]}. Then explain the structural choices you made."
    if kind == "data":
        months = [rng.randint(80, 200) for _ in range(12)]
        table = "\n".join(f"{MONTHS[i][:3]}: {v}" for i, v in enumerate(months))
        return (
            "Here are monthly unit sales for one product line:\n\n"
            + table
            + "\n\nIdentify the trend and any seasonality, test whether the change between H1 and H2 is meaningful,"
            " forecast the next quarter with a method you justify, and list the caveats."
        )
    if kind == "word":
        a, b = rng.randint(40, 120), rng.randint(40, 120)
        d = rng.randint(150, 600)
        p1, p2 = rng.randint(1, 5), rng.randint(70, 99)
        return pick(
            [
                f"Two trains leave cities {d} km apart at the same time, one at {a} km/h and one at {b} km/h, heading towards"
                f" each other. When and where do they meet? Then redo it if the slower train leaves 30 minutes later, and"
                f" derive a general formula.",
                f"A disease affects {p1}% of a population. A test has {p2}% sensitivity and {p2 - 3}% specificity. What's the"
                f" probability someone who tests positive has the disease? Show the Bayes calculation, then explain how the"
                f" answer changes if prevalence doubles, and why doctors find this counter-intuitive.",
                f"I can invest £{rng.randint(5, 50) * 1000:,} at {rng.randint(3, 7)}% compounded monthly or pay off a loan at"
                f" {rng.randint(4, 9)}% APR. Over {rng.randint(5, 15)} years, which is better? Show the maths, include tax"
                f" considerations in general terms, and build a sensitivity table.",
            ]
        )
    dest = pick(["Japan", "Portugal", "Scotland", "Peru", "Vietnam", "Norway", "Morocco", "Canada"])
    return (
        f"Plan a {rng.randint(5, 14)}-day trip to {dest} for two people with a budget of €{rng.randint(15, 60) * 100:,},"
        f" no flights within the country, one rest day every four days, and at least two activities suitable for"
        f" someone with a bad knee. Give a day-by-day plan, a cost breakdown and alternatives if it rains."
    )


def cx_simple() -> str:
    kind = rng.choices(
        ["greet", "fact", "rewrite", "translate", "define", "convert", "howto"],
        [2, 5, 3, 3, 2, 2, 2],
    )[0]
    if kind == "greet":
        return pick(GREETINGS)
    if kind == "fact":
        return pick(FACTS)
    if kind == "rewrite":
        return pick(REWRITES).format(s=pick(SHORT_SENTENCES))
    if kind == "translate":
        return pick(
            [
                f"Translate '{pick(SHORT_SENTENCES)}' into {pick(LANGS[:-1])}.",
                f"How do you say '{pick(SHORT_SENTENCES)}' in {pick(LANGS[:-1])}?",
            ]
        )
    if kind == "define":
        return pick(
            [
                f"What does '{pick(WORDS)}' mean?",
                f"Define {pick(WORDS)} in one sentence.",
                f"Give me a synonym for '{pick(WORDS)}'.",
            ]
        )
    if kind == "convert":
        return pick(
            [
                f"How many centimetres is {rng.randint(2, 90)} inches?",
                f"Convert {rng.randint(1, 40)} miles to km.",
                f"What's {rng.randint(-10, 40)}°C in Fahrenheit?",
                f"How many grams in {rng.randint(2, 30)} ounces?",
            ]
        )
    return pick(HOWTOS)


# ======================================================================================
# Validation
# ======================================================================================

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PEM_RE = re.compile(
    r"-----BEGIN ((?:RSA |EC |OPENSSH )?PRIVATE KEY)-----\s+[A-Za-z0-9+/=\s]+?\s*-----END \1-----"
)
DOB_FORMATS = [
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%d %b %Y",
]
ZW_RE = re.compile(f"[{ZW}]")


def deobfuscate(typ: str, s: str) -> str:
    s = ZW_RE.sub("", unicodedata.normalize("NFKC", s))
    if typ == "email":
        s = re.sub(r"\s*[\[({<]\s*at\s*[\])}>]\s*", "@", s, flags=re.I)
        s = re.sub(r"\s*[\[({<]\s*dot\s*[\])}>]\s*", ".", s, flags=re.I)
        s = re.sub(r"\s+at\s+", "@", s, flags=re.I)
        s = re.sub(r"\s+dot\s+", ".", s, flags=re.I)
        return s
    if typ in ("phone", "card", "ssn", "national_id", "iban"):
        words = {w: str(i) for i, w in enumerate(DIGIT_WORDS)} | {"plus": "+"}
        s = re.sub(r"[A-Za-z]+", lambda m: words.get(m.group(0).lower(), m.group(0)), s)
        if typ == "phone":
            return re.sub(r"[\s,\-]", "", s)
        return re.sub(r"[\s\-.,]", "", s).upper()
    if typ == "ip":
        return s.replace("[.]", ".").replace("(.)", ".").replace(" dot ", ".")
    if typ == "dob":
        return re.sub(r"(?<=\d) (?=\d)", "", s)
    if typ == "api_key":
        return re.sub(r"\s", "", s)
    if typ == "private_key":
        return s.replace("\\n", "\n")
    if typ == "custom":
        return re.sub(r"[\s\-_.]", "", s).lower()
    return s


def validate(typ: str, s: str) -> bool:
    """Is s a valid plain (ASCII, non-obfuscated) value of this entity type? Names and
    addresses may have any letters."""
    if typ == "name":
        return bool(re.fullmatch(r"[^\W\d_][\w'’.\- ]*", s)) and any(c.isupper() for c in s)
    if typ == "address":
        return any(c.isdigit() for c in s) and any(c.isalpha() for c in s) and s.isprintable() or (
            "\n" in s and any(c.isdigit() for c in s)
        )
    if not s.isascii() or (not s.isprintable() and typ != "private_key"):
        return False
    if typ == "email":
        return bool(EMAIL_RE.fullmatch(s))
    if typ == "phone":
        for region in REGION.values():
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(s, region)):
                    return True
            except phonenumbers.NumberParseException:
                pass
        return False
    if typ == "card":
        d = re.sub(r"[\s-]", "", s)
        return (
            d.isdigit()
            and 13 <= len(d) <= 19
            and luhn.is_valid(d)
            and bool(re.match(r"4|5[1-5]|2[2-7]|3[47]", d))
        )
    if typ == "iban":
        return std_iban.is_valid(s)
    if typ == "ssn":
        return bool(re.fullmatch(r"\d{3}[- ]?\d{2}[- ]?\d{4}", s)) and us_ssn.is_valid(
            re.sub(r"\D", "", s)
        )
    if typ == "national_id":
        return any(
            m(s)
            for m in (
                nino_valid,
                de_idnr.is_valid,
                fr_nir.is_valid,
                es_dni.is_valid,
                nl_bsn.is_valid,
                in_aadhaar.is_valid,
                ca_sin.is_valid,
            )
        )
    if typ == "ip":
        try:
            ipaddress.ip_address(s)
            return s not in WELL_KNOWN_IPS
        except ValueError:
            return False
    if typ == "dob":
        for fmt in DOB_FORMATS:
            try:
                return 1930 <= dt.datetime.strptime(s, fmt).year <= 2010
            except ValueError:
                continue
        return False
    if typ == "api_key":
        return any(r.fullmatch(s) for r in API_KEY_RES)
    if typ == "private_key":
        return bool(PEM_RE.fullmatch(s))
    if typ == "password":
        return len(s) >= 6 and not re.search(r"\s", s) and not s.isdigit()
    if typ == "custom":
        return re.sub(r"[\s\-_.]", "", s).lower() in ("projectfalcon", "bluebird", "confidential")
    raise KeyError(typ)


LEAK_PATTERNS = [
    ("custom", re.compile(r"project[\s_-]*falcon|bluebird|confidential", re.I)),
    (
        "api_key",
        re.compile(
            r"AKIA[A-Z2-7]{16}|ghp_[A-Za-z0-9]{36}|github_pat_|xox[bp]-\d|sk_live_|sk-proj-\w|AIza[\w-]{35}"
            r"|eyJ[\w-]{10,}\.eyJ|SG\.[\w-]{22}\.|sk-ant-api"
        ),
    ),
    ("private_key", re.compile(r"PRIVATE KEY-----")),
    ("email", EMAIL_RE),
    ("ssn", re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")),
    ("ip", re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")),
    ("iban", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")),
    ("password", re.compile(r"(?i)\b(?:password|passwd|pwd|pw)\s*[=:]\s*\S+")),
]


def check_record(r: dict) -> list[str]:
    errs = []
    text, ents = r["text"], r["entities"]
    spans = sorted((e["start"], e["end"], e["type"]) for e in ents)
    for a, b in itertools.pairwise(spans):
        if a[1] > b[0]:
            errs.append(f"overlap {a} {b}")
    obf_kind = r["kind"] == "obfuscated"
    n_obf = 0
    for e in ents:
        if e["type"] not in TYPES + NEW_TYPES:
            errs.append(f"bad type {e['type']}")
        s = text[e["start"] : e["end"]]
        if not s or s != s.strip():
            errs.append(f"empty/padded span {e}")
        if e["_obf"]:
            n_obf += 1
            if not obf_kind:
                errs.append("obfuscated entity outside the obfuscated part")
            if not validate(e["type"], deobfuscate(e["type"], s)):
                errs.append(f"invalid obfuscated {e['type']}: {s!r}")
        elif r["kind"] == "phone_context" and e["type"] == "phone":
            if not 7 <= sum(c.isdigit() for c in re.split(r"x|ext", s)[0]) <= 15:
                errs.append(f"invalid phone: {s!r}")
        elif not validate(e["type"], s if e["type"] != "private_key" else s.replace("\\n", "\n")):
            errs.append(f"invalid {e['type']}: {s!r}")
    if obf_kind and n_obf == 0:
        errs.append("obfuscated record without an obfuscated entity")
    if not obf_kind and (ZW_RE.search(text) or any("\uff01" <= c <= "\uff5e" for c in text)):
        errs.append("zero-width or full-width character outside the obfuscated part")
    if r["sensitive"] != bool(ents):
        errs.append("sensitive flag disagrees with entities")
    if r["kind"] in ("hard_negative", "complexity", "public_figure") and ents:
        errs.append("negative with entities")
    if r["kind"] in ("hard_negative", "complexity") and "confidential" in text.lower():
        errs.append("'confidential' in a negative")
    # unlabelled look-alikes: every detector hit must overlap a labelled span
    for typ, rx in LEAK_PATTERNS:
        for m in rx.finditer(text):
            if typ == "ip":
                try:
                    ipaddress.ip_address(m.group(0))
                except ValueError:
                    continue
                if m.group(0) in WELL_KNOWN_IPS or m.group(0).startswith("255."):
                    continue
            if typ == "iban" and not std_iban.is_valid(m.group(0)):
                continue
            if typ == "ssn" and not us_ssn.is_valid(m.group(0).replace("-", "")):
                continue
            if typ == "password" and re.search(
                r"[=:]\s*(os\.environ|os\.getenv|process\.env|\$\{)", m.group(0)
            ):
                continue
            inside = (
                any(s <= m.start() and m.end() <= e for s, e, _ in spans)
                if typ == "custom"
                else any(m.start() < e and s < m.end() for s, e, _ in spans)
            )
            if not inside:
                errs.append(f"unlabelled {typ}: {m.group(0)!r}")
    return errs


# ======================================================================================
# Names, addresses, phones in context (issue 13): their own seeds, so that the parts above
# come out exactly as before
# ======================================================================================

N_NAMES, N_ADDRESSES, N_PHONES, N_NEG_NEW, N_PUBLIC = 400, 300, 200, 200, 120
PEOPLE_LOCALES = [
    "en_US", "en_GB", "en_IE", "en_AU", "en_CA", "en_IN", "de_DE", "de_AT", "de_CH", "fr_FR",
    "fr_CH", "es_ES", "es_MX", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pt_BR", "pl_PL", "cs_CZ",
    "sk_SK", "hu_HU", "ro_RO", "sv_SE", "da_DK", "nb_NO", "fi_FI", "et_EE", "lv_LV", "lt_LT",
    "sl_SI", "hr_HR", "tr_TR", "id_ID", "fil_PH", "zu_ZA",
]  # fmt: skip
prng = random.Random(SEED + 13)
PFK: dict[str, Faker] = {}
for _n, _loc in enumerate(PEOPLE_LOCALES):
    try:
        _fk = Faker(_loc)
    except AttributeError:  # a locale this Faker lacks
        continue
    if all(hasattr(_fk, m) for m in ("first_name", "address", "street_address", "phone_number")):
        PFK[_loc] = _fk
        _fk.seed_instance(SEED + 100 + _n)


def ppick(seq):
    return prng.choice(seq)


def person(fk: Faker) -> tuple[str, str, str]:
    first, last = fk.first_name(), fk.last_name()
    return first, last, f"{first} {last}"


TITLES = {
    "en": ["Mr", "Mrs", "Ms", "Dr", "Prof.", "Mr.", "Ms.", "Dr."],
    "de": ["Herr", "Frau", "Dr.", "Prof."],
    "fr": ["M.", "Mme", "Dr"],
    "es": ["Sr.", "Sra.", "Dr."],
    "it": ["Sig.", "Sig.ra", "Dott.", "Dr."],
    "nl": ["dhr.", "mevr.", "Dr."],
    "pt": ["Sr.", "Sra.", "Dr."],
}
SUPPORT_ASKS = [
    "Can you check why my last payment failed?", "I can't log in since yesterday.",
    "Please cancel my subscription at the end of the month.", "The parcel never arrived.",
    "I'd like a copy of my last three invoices.", "Why was I charged twice?",
]  # fmt: skip


def names_prompt(fk: Faker, loc: str) -> B:
    first, last, full = person(fk)
    lang = loc[:2]
    title = ppick(TITLES.get(lang, TITLES["en"]))
    ask = ppick(SUPPORT_ASKS)
    n = lambda v: Ent("name", v)  # noqa: E731
    forms = [
        lambda: F("Please correct the name on my account to {t} {n}.", t=title, n=n(full)),
        lambda: F("My name appears incorrectly on my statement, please change it to {t} {n}.",
                  t=title, n=n(full)),
        lambda: F("Dear {t} {n},\n\nthank you for your letter. {a}\n\nKind regards,\n{m}", t=title,
                  n=n(last), a=ask, m=n(person(fk)[2])),
        lambda: F("Hi {n}, thanks for the quick reply! {a}", n=n(first), a=ask),
        lambda: F("My name is {n} and {a}", n=n(full), a=ask[0].lower() + ask[1:]),
        lambda: F("What's your full name? {n}", n=n(full)),
        lambda: F("Bot: What's the name on the account? User: {n}", n=n(full)),
        lambda: F("Name: {n}\nPlan: premium\nIssue: {a}", n=n(full), a=ask),
        lambda: F("name,plan,renewal\n{n},Pro,2025-03-01\n{m},Basic,2025-07-15\n\nWhich of these renews first?",
                  n=n(full), m=n(person(fk)[2])),
        lambda: F("Write a short birthday message for my daughter {n}.", n=n(first)),
        lambda: F("Can you draft a reference letter for {n}, who worked with us for three years?", n=n(full)),
        lambda: F("Summarise the complaint from {n}: the technician came late and left without fixing the boiler.",
                  n=n(full)),
        lambda: F("{n} asked whether the refund has been processed. What should I tell them?", n=n(full)),
        lambda: F("Translate into English: '{n} holt dich um acht am Bahnhof ab.'", n=n(first)),
        lambda: F("I want to add {n} as a beneficiary to my account.", n=n(full)),
        lambda: F("Thanks for your help!\n\nBest regards,\n{n}", n=n(full)),
        lambda: F("Please forward this to {n} in accounting.", n=n(full)),
        lambda: F("Maybe it's under {n}? I opened the account in 2019.", n=n(full)),
        lambda: F("Sometimes people call me {n}. Is that a problem for the booking?", n=n(first)),
        lambda: F("Our new intern {n} starts on Monday; write a welcome note.", n=n(full)),
        lambda: F("Hello, this is {t} {n}. Who am I speaking to?", t=title, n=n(full)),
        lambda: F("| Name | Team |\n|---|---|\n| {n} | Sales |\n| {m} | Support |\n\nTurn this into a list.",
                  n=n(full), m=n(person(fk)[2])),
    ]  # fmt: skip
    return ppick(forms)()


def street_lines(fk: Faker) -> tuple[str, str]:
    """(one line, several lines) of one of the locale's addresses."""
    multi = fk.address()
    return multi.replace("\n", ", "), multi


def addresses_prompt(fk: Faker, loc: str) -> B:
    one, multi = street_lines(fk)
    street = fk.street_address()
    if not any(c.isdigit() for c in street):  # some locales write streets without numbers
        street = one
    a = lambda v: Ent("address", v)  # noqa: E731
    n = lambda v: Ent("name", v)  # noqa: E731
    forms = [
        lambda: F("Please update my address to {a}.", a=a(one)),
        lambda: F("Ship it to:\n{n}\n{a}", n=n(person(fk)[2]), a=a(multi)),
        lambda: F("I moved last week. My new address is {a}", a=a(one)),
        lambda: F("Meet me at {a} at 6pm, I'll be outside.", a=a(street)),
        lambda: F("Billing address: {a}\nCan you tell me why the invoice went to the old one?", a=a(multi)),
        lambda: F("Is {a} inside the delivery zone?", a=a(street)),
        lambda: F("Can you write a short note to my neighbours at {a} about the party on Saturday?", a=a(street)),
        lambda: F("The letter arrived at {a} last night, but it was addressed to someone else.", a=a(one)),
        lambda: F("{n}\n{a}\n\nFormat this as a shipping label.", n=n(person(fk)[2]), a=a(multi)),
        lambda: F("Please return the device to {a} if there is a problem.", a=a(one)),
        lambda: F("We'll meet on Tuesday at the office, {a}.", a=a(street)),
    ]  # fmt: skip
    return ppick(forms)()


PHONE_FORMS = [
    "They're not answering at {p}. Can you draft a complaint?",
    "You can call me back on {p} after 5pm.",
    "How can we reach you? You can call {p}",
    "I would like to stop receiving messages to {p}",
    "Please text me on {p} when the order is ready.",
    "My registered number is {p} but the code never arrives.",
    "Fax: {p}\nPlease fax the signed form by Friday.",
    "{p} (mobile) is the best way to reach me.",
    "Office: {p}\nMobile: {q}\n\nWhich of these should go on my business card?",
    "Can someone call me on {p}? I have questions about opening an account.",
    "Please have the manager call me at {p}.",
    "WhatsApp: {p}",
    "{n}\n{c}\n{p} office\n{q} mobile",
    "Contact: {p} (ask for the front desk)",
]


def phones_prompt(fk: Faker, loc: str) -> B:
    form = ppick(PHONE_FORMS)
    return F(form, p=Ent("phone", fk.phone_number()), q=Ent("phone", fk.phone_number()),
             n=Ent("name", person(fk)[2]), c=fk.company())  # fmt: skip


NEW_NEGATIVES = [
    "Compare Django and Flask for a small REST API.",
    "How do I configure Nginx as a reverse proxy on Ubuntu 22.04?",
    "Explain how Kubernetes schedules pods onto nodes.",
    "What's the weather usually like in Lisbon in May?",
    "Plan a three-day trip to Kyoto and Osaka for a first-time visitor.",
    "Which city is bigger, Berlin or Hamburg?",
    "Why is Wall Street called Wall Street?",
    "Who recorded the album Abbey Road?",
    "What is the history of Oxford Street in London?",
    "Which city has the postcode 75008?",
    "Is the ZIP code 94103 in San Francisco?",
    "Dear team, please find the agenda for Monday's meeting below.",
    "Hi all, the nightly build is broken again. Any ideas?",
    "Best regards,\nThe Support Team",
    "Thanks, that helped a lot!",
    "Call the function 3 times with 1000000 items and time it.",
    "The office has 120 desks on 4 floors; how many per floor?",
    "Text me the 6-digit code? No: explain how TOTP codes work.",
    "Ticket 4567890 is still open; how do I escalate a ticket in Jira?",
    "Update to version 10.0.19045 of Windows before Friday.",
    "name: Build and Test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest",
    "class Person:\n    name: str\n    age: int\n\nAdd validation to this dataclass.",
    "How many Apple Stores are there in Paris?",
    "Translate 'Main Street' into German and French.",
    "What does 'Suite' mean in a hotel booking?",
    "Room 101 is a reference to which novel?",
    "Flight LH 400 from Frankfurt to New York: how long is it?",
    "Convert 221 degrees Fahrenheit to Celsius.",
    "What's the difference between Python 3.11 and 3.12?",
    "Write a haiku about the Rhine in autumn.",
    "Explain the Monty Hall problem.",
    "Should I use PostgreSQL or MySQL for a Laravel app?",
    "List the planets of the Solar System in order.",
    "How do I say 'good morning' in Japanese?",
    "Summarise the plot of Hamlet in three sentences.",
    "What is the capital of Australia?",
    "Our Slack channel #general has 1,250 members; how do I archive it?",
    "Set up a cron job that runs every day at 02:30.",
    "Why does Chrome use so much memory on macOS Sonoma?",
    "Give me a SQL query that counts orders per customer_id in the orders table.",
]
PUBLIC_FIGURES = [
    ("Kant", "Hume"), ("Plato", "Aristotle"), ("Newton", "Leibniz"), ("Darwin", "Lamarck"),
    ("Keynes", "Hayek"), ("Marx", "Adam Smith"), ("Einstein", "Bohr"), ("Bach", "Handel"),
    ("Mozart", "Beethoven"), ("Shakespeare", "Marlowe"), ("Tolstoy", "Dostoevsky"),
    ("Napoleon", "Wellington"), ("Lincoln", "Douglass"), ("Curie", "Rutherford"),
    ("Turing", "von Neumann"), ("Descartes", "Spinoza"), ("Freud", "Jung"),
    ("Gandhi", "Mandela"), ("Churchill", "Roosevelt"), ("Galileo", "Kepler"),
]  # fmt: skip
PUBLIC_FORMS = [
    "Compare {a} and {b} on their central ideas, step by step, and explain which view has aged better.",
    "Explain the main disagreement between {a} and {b} and assess the evidence for each side in a detailed essay.",
    "Write a 1,000-word dialogue between {a} and {b} that shows how their views differ, then analyse it.",
    "Analyse how {a} influenced later thinkers, compare that with {b}, and list three open questions.",
    "Why did {a} and {b} disagree? Give the historical context, the arguments, and a verdict with reasons.",
]


def new_parts() -> list[dict]:
    """Names, addresses, phones in context, hard negatives for the new detectors, and
    harmless complex prompts that only name public figures."""
    out = []
    locales = sorted(PFK)
    for kind, count, make in (("name", N_NAMES, names_prompt),
                              ("address", N_ADDRESSES, addresses_prompt),
                              ("phone_context", N_PHONES, phones_prompt)):  # fmt: skip
        made = 0
        while made < count:
            loc = locales[made % len(locales)]
            b = make(PFK[loc], loc)
            out.append(record(b, kind, loc, prng.random() < 0.15))
            made += 1
    for j in range(N_NEG_NEW):
        text = NEW_NEGATIVES[j % len(NEW_NEGATIVES)]
        if j >= len(NEW_NEGATIVES):  # the same requests with a different lead-in
            text = ppick(["Quick question: ", "Please help: ", "Another one. ", "Hi! "]) + text
        out.append(record(B().t(text), "hard_negative", "en_US", False))
    for j in range(N_PUBLIC):
        a, b = PUBLIC_FIGURES[j % len(PUBLIC_FIGURES)]
        text = PUBLIC_FORMS[(j // len(PUBLIC_FIGURES)) % len(PUBLIC_FORMS)].format(a=a, b=b)
        out.append(record(B().t(text), "public_figure", "en_US", True))
    return out


# ======================================================================================
# Main
# ======================================================================================


def record(b: B, kind: str, loc: str, is_cx: bool, ctx: Ctx | None = None) -> dict:
    text = b.text()
    found = list(b.ents)
    if ctx is not None:  # the people's names and addresses the templates wrote in
        for typ, values in (("name", ctx.names), ("address", ctx.addresses)):
            for value in sorted(set(values), key=len, reverse=True):
                for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text):
                    if not any(m.start() < e and s < m.end() for _, s, e, _ in found):
                        found.append((typ, m.start(), m.end(), False))
    ents = [
        {"type": t, "start": s, "end": e, "_obf": o}
        for t, s, e, o in sorted(found, key=lambda x: x[1])
    ]
    return {
        "id": None,
        "text": text,
        "sensitive": bool(ents),
        "entities": ents,
        "complex": is_cx,
        "kind": kind,
        "locale": loc,
    }


def main() -> int:
    records: list[dict] = []
    seen: set[str] = set()

    def accept(r: dict) -> bool:
        if r["text"] in seen:
            return False
        seen.add(r["text"])
        records.append(r)
        return True

    # 1. plain positives: primary type round-robin so every type leads ~83 prompts
    i = 0
    while sum(r["kind"] == "plain" for r in records) < N_PLAIN:
        primary = TYPES[i % len(TYPES)]
        i += 1
        b, ctx, is_cx = build_positive(primary)
        accept(record(b, "plain", ctx.loc, is_cx, ctx))

    # 2. obfuscated positives
    obf_weights = {
        "email": 18,
        "phone": 12,
        "card": 12,
        "ssn": 7,
        "national_id": 8,
        "iban": 8,
        "ip": 8,
        "api_key": 9,
        "password": 6,
        "dob": 7,
        "private_key": 6,
        "custom": 7,
    }
    obf_leads = {
        "private_key": ["pem", "config", "chat"],
        "api_key": ["config", "chat", "curl", "code", "ticket"],
        "ip": ["log", "chat", "ticket", "config"],
        "password": ["chat", "config", "ticket", "hr"],
    }
    while sum(r["kind"] == "obfuscated" for r in records) < N_OBF:
        primary = rng.choices(list(obf_weights), list(obf_weights.values()))[0]
        lead = obf_leads.get(primary)
        if primary == "private_key":
            loc = pick_loc(primary)
            ctx = Ctx(loc, ["private_key"], 1)
            b, is_cx = c_pem(ctx, ["private_key"], chance(0.1)), False
        else:
            budget = rng.choices([1, 2], [3, 1])[0]
            b, ctx, is_cx = build_positive(
                primary,
                obf_types=[primary] + ([pick(TYPES)] if budget == 2 else []),
                obf_budget=budget,
                cx_rate=0.12,
                lead_override=lead,
            )
        if not any(o for *_x, o in b.ents):
            continue
        accept(record(b, "obfuscated", ctx.loc, is_cx, ctx))

    # 3. hard negatives: every option of the fixed-list families once, then random draws
    for fam in FIXED_NEG_FAMILIES:
        j = 0
        while (out := fam(j)) is not None:
            accept(record(B().t(out), "hard_negative", "en_US", False))
            j += 1
    fams, weights = zip(*NEG_FAMILIES, strict=False)
    tries = 0
    while sum(r["kind"] == "hard_negative" for r in records) < N_NEG:
        tries += 1
        if tries > 100_000:
            raise RuntimeError("cannot make enough unique hard negatives")
        fam = rng.choices(fams, weights)[0]
        out = fam()
        loc, is_cx = "en_US", False
        if isinstance(out, tuple):
            if isinstance(out[1], bool):
                out, is_cx = out
            else:
                out, loc = out
        accept(record(B().t(out), "hard_negative", loc, is_cx))

    # 4. complexity, balanced
    n_cx = 0
    while sum(r["kind"] == "complexity" for r in records) < N_CX:
        want_cx = n_cx < N_CX // 2
        text = cx_complex() if want_cx else cx_simple()
        loc = {"Bonjour !": "fr_FR", "Hola": "es_ES"}.get(text, "en_US")
        if accept(record(B().t(text), "complexity", loc, want_cx)):
            n_cx += want_cx

    # 5. names, addresses, phones in context, their hard negatives, public figures
    for r in new_parts():
        accept(r)

    rng.shuffle(records)
    for n, r in enumerate(records, 1):
        r["id"] = f"r{n:04d}"

    # ---- verification -------------------------------------------------------------------
    problems = 0
    for r in records:
        for err in check_record(r):
            problems += 1
            if problems <= 40:
                print(f"{r['id']} ({r['kind']}): {err}", file=sys.stderr)
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids), "duplicate ids"
    if problems:
        print(f"{problems} problems", file=sys.stderr)
        return 1

    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            out = dict(
                r, entities=[{k: v for k, v in e.items() if k != "_obf"} for e in r["entities"]]
            )
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")

    # ---- counts ---------------------------------------------------------------------------
    kinds = Counter(r["kind"] for r in records)
    print(
        f"wrote {len(records)} prompts to {OUT.relative_to(HERE.parent.parent)}"
        f" (sha256 {hashlib.sha256(OUT.read_bytes()).hexdigest()})"
    )
    print("\nprompts per kind (sensitive / complex):")
    for k in ("plain", "obfuscated", "hard_negative", "complexity", "name", "address",
              "phone_context", "public_figure"):  # fmt: skip
        rs_ = [r for r in records if r["kind"] == k]
        print(
            f"  {k:<14}{len(rs_):>6}   sensitive {sum(r['sensitive'] for r in rs_):>5}   complex {sum(r['complex'] for r in rs_):>4}"
        )
    print(
        f"  {'total':<14}{len(records):>6}   sensitive {sum(r['sensitive'] for r in records):>5}"
        f"   complex {sum(r['complex'] for r in records):>4}"
    )
    print("\nentities per type (plain / obfuscated / total; prompts containing the type):")
    for t in TYPES + NEW_TYPES:
        p = sum(e["type"] == t for r in records if r["kind"] == "plain" for e in r["entities"])
        o = sum(e["type"] == t for r in records if r["kind"] == "obfuscated" for e in r["entities"])
        n = sum(any(e["type"] == t for e in r["entities"]) for r in records)
        print(f"  {t:<12}{p:>6}{o:>6}{p + o:>7}   in {n} prompts")
    obf = Counter(e["type"] for r in records for e in r["entities"] if e["_obf"])
    print(
        f"\nobfuscated entities (in the obfuscated part): {sum(obf.values())}: "
        + ", ".join(f"{t} {obf[t]}" for t in TYPES)
    )
    multi = sum(len(r["entities"]) >= 2 for r in records)
    multi_types = sum(len({e["type"] for e in r["entities"]}) >= 2 for r in records)
    print(
        f"\nprompts with 2+ entities: {multi} (2+ distinct types: {multi_types});"
        f" entities in total: {sum(len(r['entities']) for r in records)}"
    )
    print("\nprompts per locale:")
    for loc, c in sorted(Counter(r["locale"] for r in records).items()):
        print(f"  {loc:<8}{c:>6}")
    print(f"\nkinds seen: {dict(sorted(kinds.items()))}; all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
