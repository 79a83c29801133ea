"""API keys, tokens and private keys. UUIDs and hex strings (git SHAs, hashes) never
fire as secrets; a vendor's prefix or a high-entropy token of mixed letters and digits
does, also split into groups by spaces ("AKIAR3SQ DFFXRGNE CFUO")."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from functools import lru_cache

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import has_digit, hit_at
from inhouse.router.normalize import Normalised

# -- API keys and other secrets ---------------------------------------------------------

_VENDOR_KEY_FORMS = (
    r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}\b"  # AWS
    r"|\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}"  # GitHub
    r"|\bglpat-[A-Za-z0-9_\-]{20,}"  # GitLab
    r"|\bxox[abposr]-[A-Za-z0-9\-]{10,}|\bhooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}"  # Slack
    r"|\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,}"  # Stripe
    r"|\bsk-[A-Za-z0-9_\-]{20,}"  # OpenAI, Anthropic and other sk- keys
    r"|\bAIza[0-9A-Za-z_\-]{35}|\bya29\.[0-9A-Za-z_\-]{20,}"  # Google
    r"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*"  # JWT
    r"|\bhf_[A-Za-z0-9]{30,}|\bnpm_[A-Za-z0-9]{36}\b|\bpypi-[A-Za-z0-9_\-]{50,}"  # HF, npm, PyPI
    r"|\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"  # SendGrid
    r"|\bsh(?:pat|pss|pca|ppa)_[a-fA-F0-9]{32}\b"  # Shopify
    r"|\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}"  # Azure
    r"|\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{16,}=*"  # any bearer token
    r"|\b[Aa]uthorization:\s*[Bb]asic\s+[A-Za-z0-9+/]{8,}={0,2}"  # HTTP basic auth
)
_VENDOR_KEYS = re.compile(_VENDOR_KEY_FORMS)
# The keys, or the start of one that spaces split into groups ("AKIAR3SQ DFFXRGNE CFUO",
# "xoxb-5 431669 162106 -52398 ..."): its prefix, then a group and a space, the only
# match that ends in a space. (One search for both: each search of 2,000 characters
# takes some 30 us; a named group would make it ten times slower.)
_VENDOR_SCAN = re.compile(
    rf"{_VENDOR_KEY_FORMS}|\b(?:"
    r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)|xox[abposr]-|"
    r"gh[pousr]_|github_pat_|glpat-|[sr]k_(?:live|test)_|whsec_|sk-|AIza|ya29\.|eyJ|hf_|npm_|"
    r"pypi-|SG\.|shp(?:at|ss|ca|pa)_)[\w\-+/=.]*+[ \t]"
)
# Strings one of which every vendor key contains (checked before the pattern runs).
_VENDOR_MARKS = (
    *[
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
        "AGPA",
        "AIDA",
        "AIPA",
        "ANPA",
        "ANVA",
        "AROA",
        "APKA",
        "ASCA",
    ],
    *[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "xox",
        "hooks.slack",
        "_live_",
        "_test_",
    ],
    *[
        "whsec_",
        "sk-",
        "AIza",
        "ya29.",
        "eyJ",
        "hf_",
        "npm_",
        "pypi-",
        "SG.",
        "shpat_",
        "shpss_",
        "shpca_",
        "shppa_",
    ],
    *["AccountKey", "SharedAccessKey", "earer", "uthorization"],
)


def find_api_keys(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Keys in a vendor's format: AWS, GitHub, GitLab, Slack, Stripe, OpenAI and other
    sk- keys, Google, JWTs, Hugging Face, npm, PyPI, SendGrid, Shopify, Azure, bearer
    tokens, HTTP basic credentials.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("export KEY=AKIAIOSFODNN7EXAMPLE")
    [('api_key', 'AKIAIOSFODNN7EXAMPLE')]
    >>> detect("pip install scikit-learn; see sk-learn-documentation-for-details")
    []

    A key split by spaces into groups counts when the groups joined are one:

    >>> excerpts("the AWS key is AKIAR3SQ DFFXRGNE CFUO. Thanks")
    [('api_key', 'AKIAR3SQ DFFXRGNE CFUO')]
    """
    norm = normalised.text
    if not any(mark in norm for mark in _VENDOR_MARKS):
        return []
    hits = []
    for match in _VENDOR_SCAN.finditer(norm):
        if match.group()[-1] in " \t":
            span = _split_key(norm, match)
            if span is not None:
                hits.append(hit_at(normalised, "api_key", *span, "api_key", "format", "vendor key"))
        elif _key_like(match.group()):
            hits.append(
                hit_at(normalised, "api_key", *match.span(), "api_key", "format", "vendor key")
            )
    return hits


_KEY_GROUP = re.compile(r"[ \t]{1,2}([\w\-+/=.]+)")
_SPLIT_GROUPS = 64  # the most groups joined


def _split_key(text: str, start: re.Match[str]) -> tuple[int, int] | None:
    """The span of the longest run of groups from `start` that, joined, is a vendor's
    key. The groups end at a word of a sentence ("and", "the"), after a full stop, or
    at a group that punctuation ends ('FTU"', "CFUO,")."""
    groups = [(start.start(), start.end() - 1)]
    at = start.end() - 1
    while len(groups) < _SPLIT_GROUPS and text[groups[-1][1] - 1] != ".":
        group = _KEY_GROUP.match(text, at)
        if group is None or _sentence_word(group.group(1)):
            break
        groups.append(group.span(1))
        at = group.end()
        if at < len(text) and not text[at].isspace():
            break
    while len(groups) > 1:
        low, high = groups.pop()
        high = low + len(text[low:high].rstrip("."))
        joined = "".join(text[a:b] for a, b in groups) + text[low:high]
        if _VENDOR_KEYS.fullmatch(joined) and _key_like(joined):
            return groups[0][0], high
    return None


def _sentence_word(group: str) -> bool:
    """A lower-case word with a word's share of vowels ("and", "the"), not a key's group."""
    return group.isalpha() and group.islower() and _pronounceable(group)


def _key_like(value: str) -> bool:
    """A generic-looking sk- key or bearer token needs a digit, to be told from words
    ("sk-learn-user-guide", "Bearer YOUR_ACCESS_TOKEN"); the other formats are exact."""
    if value.startswith("sk-") or value[:6].lower() == "bearer":
        return has_digit(value)
    return True


_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VOWELS = frozenset("aeiouyAEIOUY")
_HEX = frozenset("0123456789abcdefABCDEF-")
# Hashes named by their algorithm; Stripe-style object IDs and publishable keys.
_NOT_SECRET_PREFIX = re.compile(
    r"(?i:sha(?:1|224|256|384|512)|md5|blake2b?)[-_]"
    r"|(?:evt|cus|pi|ch|acct|price|prod|sub|in|ii|txn|pm|seti|cs|req|po|tr|re|pk_live|pk_test)_"
)
_PATH_PART = re.compile(r"[a-z][a-z\-_]{2,}")


@lru_cache(maxsize=16)
def _token_pattern(min_length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w+/=\-])[A-Za-z0-9+/_\-]{{{min_length},}}=*")


def find_high_entropy(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Unknown secrets: long tokens of mixed letters and digits with high Shannon
    entropy that are not words, identifiers, paths, hex strings (git SHAs, hashes),
    UUIDs, "sha512-..." digests or Stripe-style object IDs ("evt_...", "cus_...").

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("token rT7kQ2xLm9PqZ4vB8nW3yH6j")
    [('api_key', 'rT7kQ2xLm9PqZ4vB8nW3yH6j')]
    >>> detect("commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
    []
    >>> detect("see https://example.com/project/commit/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b")
    []
    >>> detect("id 550e8400-e29b-41d4-a716-446655440000")
    []
    >>> detect("getUserAccountSettings2024ByIdentifier cp311-cp311-manylinux_2_17_x86_64")
    []
    """
    norm, size = normalised.text, config.entropy_min_length
    hits = []
    for match in _token_pattern(size).finditer(norm):
        for start, end in _path_parts(match.group(), match.start(), size):
            if is_random_token(norm[start:end], config.entropy_min_bits):
                hits.append(
                    hit_at(normalised, "api_key", start, end, "entropy", "format", "entropy")
                )
    return hits


def _path_parts(token: str, start: int, size: int) -> list[tuple[int, int]]:
    """The token, or for a path ("com/project/commit/9f86...") its long parts."""
    parts = token.split("/")
    if len(parts) == 1 or not any(_PATH_PART.fullmatch(part) for part in parts):
        return [(start, start + len(token))]
    spans, at = [], start
    for part in parts:
        if len(part) >= size:
            spans.append((at, at + len(part)))
        at += len(part) + 1
    return spans


def is_random_token(token: str, min_bits: float = 3.5) -> bool:
    """Whether a token looks like a generated secret rather than a name or a hash.

    >>> is_random_token("wJalrXUtnFEMI/K7MDENG/bPxRfiCY8kq2Zp"), is_random_token("ClassName2")
    (True, False)
    """
    body = token.rstrip("=")
    if not has_digit(body) or not any(c.isalpha() for c in body):
        return False
    if all(c in _HEX for c in body.removeprefix("0x")) or _NOT_SECRET_PREFIX.match(body):
        return False
    if _wordlike(body) or _class_changes(body) < 0.3:
        return False
    return _entropy(body) >= min_bits


def _wordlike(token: str) -> bool:
    """Half or more of it is in pronounceable pieces of three letters or more: a name."""
    words = sum(len(p) for p in _PIECES.findall(token) if len(p) >= 3 and _pronounceable(p))
    return words * 2 >= len(token)


def _pronounceable(piece: str) -> bool:
    """Letters with a word's share of vowels (random letters have about one in five)."""
    return piece[0].isalpha() and sum(c in _VOWELS for c in piece) * 4 >= len(piece)


def _class_changes(token: str) -> float:
    """The share of neighbouring letters/digits that change class (lower, upper, digit):
    about 0.6 for random base62, 0.4 for base36, 0.2-0.35 for names and version tags."""
    classes = [0 if c.islower() else 1 if c.isupper() else 2 for c in token if c.isalnum()]
    if len(classes) < 2:
        return 0.0
    return sum(a != b for a, b in itertools.pairwise(classes)) / (len(classes) - 1)


def _entropy(token: str) -> float:
    """Shannon entropy in bits per character."""
    size = len(token)
    return -sum(n / size * math.log2(n / size) for n in Counter(token).values())


_PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----(?:.*?-----END \1-----|.*)"
    r"|PuTTY-User-Key-File-\d+:.*?(?:Private-MAC:[ \t]*\S+|\Z)",
    re.DOTALL,
)
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{16,}")


def find_private_keys(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """PEM private keys (RSA, EC, DSA, OpenSSH, PGP, encrypted PKCS#8) and PuTTY key
    files, from BEGIN to END, or to the end of the text when END is missing and some
    base64 follows BEGIN.

    >>> from inhouse.router.detectors import detect
    >>> body = "MIIEow" + "A" * 40
    >>> pem = f"k:\\n-----BEGIN RSA PRIVATE KEY-----\\n{body}\\n-----END RSA PRIVATE KEY-----\\n"
    >>> [pem[h.start : h.end].splitlines()[0] for h in detect(pem)]
    ['-----BEGIN RSA PRIVATE KEY-----']
    >>> detect("What does -----BEGIN RSA PRIVATE KEY----- mean?")
    []
    """
    norm = normalised.text
    if "PRIVATE KEY" not in norm and "PuTTY-User-Key-File" not in norm:
        return []
    return [
        hit_at(normalised, "private_key", *match.span(), "private_key", "format", "pem")
        for match in _PRIVATE_KEY.finditer(norm)
        if "-----END" in match.group() or _KEY_BODY.search(match.group())
    ]
