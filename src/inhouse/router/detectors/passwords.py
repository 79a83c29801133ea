"""Passwords and other key=value secrets: the value after a secret's name in code,
config and prose forms, the password in a URL, and a table's column of passwords. A
password in prose is a value that mixes letters, digits and symbols a few words after
its name (see `_password_like`)."""

from __future__ import annotations

import re

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import (
    cells_below,
    continues,
    hit_at,
    keywords,
    words_in,
    wordset,
)
from inhouse.router.normalize import Normalised

# -- passwords and other key=value secrets ----------------------------------------------

# Names of secrets: compound names first (the search takes the first that matches).
_SECRET_KEYS = (
    r"client[_\-]?secret|secret[_\-]?(?:access[_\-]?)?key|api[_\-]?(?:key|secret|token)|apikey|"
    r"access[_\-]?(?:key|token)|private[_\-]?key|account[_\-]?key|connection[_\-]?string|"
    r"conn[_\-]?str|(?:auth|session|refresh|oauth|bearer)[_\-]?token|password|passwd|passphrase|"
    r"passcode|passwort|secret|token|credentials?|kennwort|contrase[ñn]a|clave|mot\s+de\s+passe|"
    r"mdp|senha|wachtwoord|parola\s+d'ordine|пароль|密码|パスワード|비밀번호|pass|pwd|pw|pin"
)
_SECRET_KEY = keywords(_SECRET_KEYS)
_VALUE = r"(\"[^\"\n]{1,200}\"|'[^'\n]{1,200}'|`[^`\n]{1,200}`|[^\s,;'\"<>(){}\[\]]{1,200})"
# What follows a secret's name: = "x", : x, "key": "x", : str = "x", is x, ist x; or a flag's
# value (--password x, --api-key=x).
_ASSIGNED = keywords(
    r"[\"']?(?:\s*:\s*[a-z_][\w.\[\]]*(?:\s*[|,]\s*[\w.\[\]]+)*\s*=|\s*(?::=|=>|==?|:)"
    r"|(?P<prose>\s+(?:is\s+now|is|was|ist|est|es|é|è)\b\s*:?))"
    rf"[ \t]*{_VALUE}"
)
_NAME_BEFORE = re.compile(r"[a-z0-9_.\-]*$")
_FLAG_VALUE = re.compile(rf"(?:=|\s+){_VALUE}")
_XML_SECRET = keywords(
    rf"<((?:[a-z0-9]+[_.\-])*(?:{_SECRET_KEYS}))>\s*([^<\s][^<\n]{{0,199}}?)\s*</\1>"
)
_URL_PASSWORD = keywords(r"[a-z][a-z0-9+.\-]{1,20}://[^\s/:@]{1,100}:([^\s/@]{1,200})@")
_CODE_AFTER = re.compile(r"[(\[]|\.\w")  # a call, an index, an attribute: code, not a literal
_PLACEHOLDER = re.compile(
    r"(.)\1*|<.*>?|\{.*\}?|\[.*\]?|\$\{?[\w.]+\}?|\$\(.*\)?|%\w+%|\.\.\.|"
    r"(?:os\.environ|os\.getenv|process\.env|getenv|env|config|settings|self|this|request|"
    r"args|params|cfg|conf|options|opts|vault|secrets?)\b.*|"
    r"[a-z_]\w*\(.*\)|[a-z_]\w*(?:\.[a-z_]\w*)+"
)
_NOT_SECRETS = wordset(
    """the a an not no none null nil true false undefined str string bytes int bool optional
    any secretstr text varchar char required incorrect wrong invalid missing empty too very
    stored hashed encrypted set reset changed expired correct needed mandatory case use
    enter your my must should will can cannot and or of for to in on with is are be see
    same hidden redacted removed omitted here below above field value input type length
    policy manager protected strength change update updated sent provided given generated
    used only also still being has have that this which it one form prompt environment
    default example placeholder tbd n/a na unknown secure strong weak long short please ok
    valid via from at by like such than when if but so then was were been get got new old
    more less least most first last based token tokens key keys secret secrets password
    passwords count limit limits file files number numbers string strings yes"""
)


def find_passwords(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """The value of a password, secret, token or key in key=value, key: value, JSON,
    YAML, XML, command-line and "my password is ..." forms (also German, French,
    Spanish, Portuguese, Dutch, Italian, Russian, Chinese, Japanese, Korean key names),
    and the password in a URL; not placeholders, environment lookups or type names.

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts('DB_PASSWORD="hunter2!"; mein Passwort ist Sommer2024.')
    [('password', 'hunter2!'), ('password', 'Sommer2024')]
    >>> detect("password: str = os.environ['PW']; token = tokenizer(x); max_tokens=100")
    []

    A value of mixed letters, digits and symbols (see `_password_like`) also counts
    with brackets in it, a few words after a password's name and a connecting word
    ("is", "to", ":"...), after "login" as the second of a "user / password" pair, and
    in a table's column headed "password":

    >>> excerpts("I changed the wifi password to Kestrel1691%. Login is kelly / Ti\\u200dger343?.")
    [('password', 'Kestrel1691%'), ('password', 'Ti\\u200dger343?')]
    >>> excerpts("user,password\\nann,Welcome1!")
    [('password', 'Welcome1!')]
    >>> detect("I changed the password to something longer. Should I pin torch==2.6.0 to 2.6?")
    []
    """
    norm, lower = normalised.text, normalised.lower
    spans = []
    for key in _SECRET_KEY.finditer(lower):
        if not _stands_alone(lower, key):
            continue
        span = _assigned_value(norm, lower, key)
        if span is None or _cut_short(norm, span[1]):
            span = _loose_value(norm, lower, key) or span
        if span is not None:
            spans.append(span)
    if any(word in lower for word in _LOGIN_HINTS):
        for key in words_in(_LOGIN, lower):
            spans.append(_prose_value(norm, lower, key.end(), login=True))
    for word, low, high, exact in cells_below(normalised, _PASSWORD_COLUMN):
        if exact and _ends_cell(norm, word.end()):
            spans.append(_listed_password(norm, low, high, word.group()))
    if "</" in lower:
        for match in _XML_SECRET.finditer(lower):
            spans.append(_value_span(norm, match.span(2), key=match.group(1), prose=False))
    if "://" in lower:
        for match in _URL_PASSWORD.finditer(lower):
            spans.append(_value_span(norm, match.span(1), key="", prose=False))
    return [
        hit_at(normalised, "password", *span, "password", "context", "secret's name")
        for span in spans
        if span
    ]


def _assigned_value(text: str, lower: str, key: re.Match[str]) -> tuple[int, int] | None:
    """The span of the value assigned to the secret named at `key`, if it is one."""
    start, end = key.span()
    if _flag(lower, start):
        flag = _FLAG_VALUE.match(lower, end)
        return None if flag is None else _value_span(text, flag.span(1), key.group(), prose=False)
    value = _ASSIGNED.match(lower, end)
    if value is None:
        return None
    return _value_span(
        text, value.span(len(value.groups())), key.group(), value["prose"] is not None
    )


def _stands_alone(lower: str, key: re.Match[str]) -> bool:
    """Whether the secret's name at `key` is a word: a name of five letters or more may
    end a longer one (PGPASSWORD), a shorter one must stand alone (not "bypass", "spin")."""
    start, end = key.span()
    if continues(lower, end, key.group()[-1]):
        return False
    return len(key.group()) >= 5 or not continues(lower, start - 1, key.group()[0])


def _cut_short(text: str, end: int) -> bool:
    """Whether a value found ending at `end` runs on (into a bracket: "Xk9(ab!")."""
    return end < len(text) and not text[end].isspace() and text[end] not in ".,;:!?\"'`"


# Names of a password that a sentence may give its value a few words after ("the admin
# password for the router is X"); other secrets' names count only right before ":" or
# "=" ("token: (x7Kp!..." ) as `_SECRET_KEY` does not take brackets in a value.
_PROSE_PASSWORD = keywords(
    r"password|passwort|passwd|passphrase|passcode|kennwort|contrase[ñn]a|mot\s+de\s+passe|"
    r"senha|wachtwoord|parola\s+d'ordine|пароль|密码|パスワード|비밀번호|pwd"
)
# Names of a login, whose password is the second of a "user / password" pair.
_LOGIN = keywords(
    r"log-?in|logon|sign-?in|credentials|zugangsdaten|anmeldedaten|identifiants|inloggegevens"
)
_LOGIN_HINTS = (
    *("login", "log-in", "logon", "sign-in", "signin", "credential", "zugangsdaten"),
    *("anmeldedaten", "identifiants", "inloggegevens"),
)
_PASSWORD_COLUMN = keywords(
    r"password|passwort|passwd|pwd|passcode|passphrase|kennwort|contrase[ñn]a|"
    r"mot[\s_\-]de[\s_\-]passe|senha|wachtwoord|pin"
)
# Words between a password's name and its value: "... password (for the router) is X".
_CONNECTORS = wordset("is was are to now ist lautet war auf est était es era é è naar wordt")
_IMMEDIATE = re.compile(r"[\"']?[ \t]*(?::=|=>|->|==?|:)[ \t]*")
_TOKEN = re.compile(r"\S+")
_BLANKS = re.compile(r"[ \t]*")
_GAP_WORD = re.compile(r"[^\W\d_][\w'\-]*")
# Nouns that make a password's name part of another's: "password manager is 1Password8".
_PASSWORD_COMPOUNDS = wordset(
    """manager managers policy policies hash hashes hashing hint hints reset resets strength
    field fields length requirement requirements rule rules rotation expiry expiration
    complexity vault generator prompt form page screen dialog recovery history change update
    protection protected app tool file files list lists entry entries"""
)
_PAIR = re.compile(r"[ \t]*[/|][ \t]*(?=\S)")
_PROSE_REACH = 64  # characters from a password's name to the last connecting word
_PROSE_WORDS = 8  # words from a password's name to its value
_NOT_PASSWORD = re.compile(
    r"[^@\s]+@[^@\s]+\.[a-z]{2,}"  # an e-mail address
    r"|[a-z][a-z0-9+.\-]*://.*|www\..*"  # a URL
    r"|[~.]{0,2}/.*|[a-z0-9_.\-]+(?:/[a-z0-9_.\-]+)+/?"  # a path
    r"|v?\d+(?:\.\d+)+(?:[\-+.][a-z0-9.\-+]+)?"  # a version
    r"|[\w\-]+\.(?:txt|pdf|docx?|xlsx?|csv|json|ya?ml|toml|ini|cfg|conf|env|log|md|html?|py|"
    r"js|ts|sh|zip|png|jpe?g)"  # a file name
    r"|[a-z_][\w.]*\(.*\)"  # a call
)


def _loose_value(text: str, lower: str, key: re.Match[str]) -> tuple[int, int] | None:
    """A password-like value (brackets and all) after the secret's name and ":" or "=",
    or, after a password's name, a few words on (see `_prose_value`)."""
    immediate = _IMMEDIATE.match(lower, key.end())
    if immediate is not None:
        return _candidate(text, immediate.end(), login=False, pin=key.group().endswith("pin"))
    if _PROSE_PASSWORD.fullmatch(key.group()):
        return _prose_value(text, lower, key.end(), login=False)
    return None


def _prose_value(text: str, lower: str, start: int, login: bool) -> tuple[int, int] | None:
    """The password given in the words after its name (or a login's) at `start`: right
    after ":" or "=", or after a connecting word ("is", "to"...) up to `_PROSE_WORDS`
    words on in the same line, with only words between (not the end of a sentence)."""
    immediate = _IMMEDIATE.match(lower, start)
    if immediate is not None:
        return _candidate(text, immediate.end(), login)
    line_end = text.find("\n", start)
    limit = min(start + _PROSE_REACH, len(text) if line_end < 0 else line_end)
    for index, token in enumerate(_TOKEN.finditer(lower, start, limit)):
        word = token.group()
        if index >= _PROSE_WORDS or (index == 0 and word in _PASSWORD_COMPOUNDS):
            return None
        if word[-1] in ":=" and _GAP_WORD.fullmatch(word[:-1]):
            return _candidate(text, token.end(), login)
        if word in _CONNECTORS:
            span = _candidate(text, token.end(), login)
            if span is not None:
                return span
        elif not _GAP_WORD.fullmatch(word):
            return None
    return None


def _candidate(text: str, start: int, login: bool, pin: bool = False) -> tuple[int, int] | None:
    """The span of the password-like value at `start` (after spaces), or for a login the
    second of a "user / password" or "user/password" pair."""
    token = _TOKEN.match(text, _BLANKS.match(text, start).end())
    if token is None:
        return None
    spans = [] if login else [token.span()]
    pair = _PAIR.match(text, token.end())
    if pair is not None:
        second = _TOKEN.match(text, pair.end())
        if second is not None:
            spans.append(second.span())
    elif login and "/" in token.group():
        spans.append((token.start() + token.group().index("/") + 1, token.end()))
    for low, high in spans:
        low, high = _trimmed(text, low, high)
        value = text[low:high]
        if (value.isdigit() and 4 <= len(value) <= 8) if pin else _password_like(value):
            return low, high
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quotes around it or the punctuation of a sentence after it."""
    while end > start and text[end - 1] in "\"'`.,;:":
        end -= 1
    while start < end and text[start] in "\"'`":
        start += 1
    return start, end


def _password_like(value: str) -> bool:
    """Whether a value looks like a password: letters (three or more) and digits, and
    a symbol or eight characters or more; not an address, a URL, a path, a version, a
    file name, a call or a placeholder.

    >>> [_password_like(v) for v in ("Kestrel1691%", "battery-horse10", "Maple1&", "Windows")]
    [True, True, True, False]
    >>> [_password_like(v) for v in ("v1.2.3-rc1", "ann99@example.org", "settings_v2.yaml")]
    [False, False, False]
    >>> [_password_like(v) for v in ("$hmasC_zi8gZ", "$DB_PASS2", "${SECRET_1}", "f(x1, y2)")]
    [True, False, False, False]
    """
    if not 6 <= len(value) <= 64:
        return False
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    symbols = sum(not c.isalnum() and c not in "_-." for c in value)
    if letters < 3 or not digits or (not symbols and len(value) < 8):
        return False
    lower = value.lower()
    if _NOT_PASSWORD.fullmatch(lower) or lower in _NOT_SECRETS:
        return False
    # "$hmasC_zi8gZ" is no shell variable: their names are in one case ($DB_PASS, $home)
    variable = value[0] == "$" and (value[1:].isupper() or value[1:].islower())
    return not _PLACEHOLDER.fullmatch(lower) or (value[0] == "$" and not variable)


def _ends_cell(text: str, end: int) -> bool:
    """Whether a header's word ending at `end` ends its cell ("db_password", not
    "password policy")."""
    return _CELL_END.match(text, end) is not None


_CELL_END = re.compile(r"[ \t\"']*(?:[\t;|,\n]|$)")


def _listed_password(text: str, start: int, end: int, key: str) -> tuple[int, int] | None:
    """The value of a table's cell in a column of passwords, if it is one."""
    start, end = _trimmed(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    start, end = _trimmed(text, start, end)
    value = text[start:end]
    if not value or any(c.isspace() for c in value) or not _secret_value(value, key, False):
        return None
    return start, end


def _flag(lower: str, start: int) -> bool:
    """Whether the name ending at `start` is a command-line flag (--db-password)."""
    name = _NAME_BEFORE.search(lower, max(0, start - 64), start)
    return name is not None and name.group().startswith("--")


def _value_span(text: str, span: tuple[int, int], key: str, prose: bool) -> tuple[int, int] | None:
    """The span of the value (unquoted) in `text`; None when it is no secret."""
    start, end = span
    value = text[start:end]
    if value[:1] in "\"'`" and value[-1:] == value[:1] and len(value) >= 2:
        start, end, value = start + 1, end - 1, value[1:-1]
    elif _CODE_AFTER.match(text, end):
        return None
    else:
        value = value.rstrip(".,:!?" if prose else ".,:")
        end = start + len(value)
    return (start, end) if _secret_value(value, key, prose) else None


def _secret_value(value: str, key: str, prose: bool) -> bool:
    """Not a placeholder, a reference, a type name or an ordinary word of a sentence."""
    if key.endswith("pin"):
        return value.isdigit() and 4 <= len(value) <= 8
    lower = value.lower()
    if len(value) < 3 or lower in _NOT_SECRETS or _PLACEHOLDER.fullmatch(lower):
        return False
    return not (prose and value.isalpha() and value.islower() and len(value) < 5)
