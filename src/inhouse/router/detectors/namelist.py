"""Person names from a list of first and last names, where no cue announces them.

The list (`names.txt` beside this module, built by `data/names/build.py` from Faker's
person providers in every locale with Latin script) finds what the cues and the small
English NER model miss: foreign names in English sentences ("Hi, this is Anđa Brlek"),
names in lower case ("can you help onni hakkarainen") or in capitals ("WINNER: ROY
HARRIS"), a name line at the head of an address block.

Rules (the case of the words must agree, so a name reads as one):

* a listed first name, an optional initial, and one or two listed last names ("Sara
  Schwarz", "Onni M. Hakkarainen", "naomi ryan", "ROY HARRIS", "Ana García López",
  "Ole-Kristian Rønning": a double name counts if its parts are listed), not both
  words English words as well ("Grant Park", "rose hill", "will smith");
* "Last, First" ("Kilgallon, Amelia", "MONNET, NATHAN"), under the same condition;
* a capitalised first name that is no English word and a capitalised word after it
  that is no English word either and no place's or organisation's ("Hanna Ukkonen",
  "Steffen Mauer": surnames the list lacks; not "Regina Airport");
* a capitalised first name that is no English word alone, before a verb ("Judith says
  the invoice is wrong", "Marta holt dich ab" at the start of a sentence) or after a
  verb whose object is a person ("call Margarida about the lease"), not inside a longer
  capitalised name ("San Francisco", "Mona Lisa").

No name is taken right after a street word ("rue Josette Giraud") or after "in",
"near" and the like (a place: "stuck in Jonathon Ville").

A word of a common word list (`people._NOT_NAMES`: "The", "Support", "Python") is never
a name here, nor a word glued to an address or an identifier ("jane.doe@", "ann_lee").
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from inhouse.router.detectors.text import wordset

_FIRST, _LAST, _COMMON = 1, 2, 4


@lru_cache(maxsize=1)
def names() -> dict[str, int]:
    """The list: each name in lower case, with its flags (first, last, English word)."""
    found: dict[str, int] = {}
    text = resources.files("inhouse.router.detectors").joinpath("names.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, flags = line.partition("\t")
        found[word] = (
            (_FIRST if "f" in flags else 0)
            | (_LAST if "l" in flags else 0)
            | (_COMMON if "c" in flags else 0)
        )
    return found


def listed_name(words: str) -> bool:
    """Whether every word of `words` (lower case) is a listed name that is no English word.

    >>> listed_name("siiri"), listed_name("lazy"), listed_name("back")
    (True, False, False)
    """
    listed = names()
    found = [_flags(listed, word) for word in _WORD.findall(words)]
    return bool(found) and all(flags and not flags & _COMMON for flags in found)


_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_INITIAL = re.compile(r"[ \t]+(?:[^\W\d_]\.|[^\W\d_a-z])(?=[ \t])")
_GAP = re.compile(r"[ \t]{1,3}")
_GLUED = re.compile(r"[@_/\\]|\.[^\W_]")
_VERBS = """says said asks asked wants wanted needs needed wrote writes called calls told
thinks thought lives lived works worked is was has had will would can could should did
does mentioned complained reported replied paid ordered booked sent signed joined left
emailed texted phoned agreed refused promised forgot moved"""
_VERB = re.compile(rf"[ \t]{{1,3}}(?:{'|'.join(_VERBS.split())})\b")


def _case(word: str) -> str:
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else ""
    rest = word[1:].replace("-", "").replace("'", "").replace("’", "")
    if word[0].isupper() and (rest.islower() or _mixed_name(word)):
        return "title"
    return ""


def _mixed_name(word: str) -> bool:
    """McDonald, O'Neil, Jean-Luc: capitals only at the start of a part."""
    parts = re.split(r"['’\-]", word)
    if len(parts) > 1:
        return all(p[:1].isupper() and p[1:].islower() for p in parts if p)
    return word[:2] == "Mc" and word[2:3].isupper() and word[3:].islower()


def find_listed_names(
    text: str, not_names: frozenset[str], lower: str | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, evidence) of the names of the list in `text` (see the module doc);
    `lower` is `text` lower-cased, if at hand.

    >>> t = "Billing address: Sara Schwarz, and can you help onni m. hakkarainen? Grant Park"
    >>> [t[a:b] for a, b, _ in find_listed_names(t, frozenset())]
    ['Sara Schwarz', 'onni m. hakkarainen']
    """
    listed = names()
    lower = text.lower() if lower is None or len(lower) != len(text) else lower
    spans: list[tuple[int, int, str]] = []
    taken = -1
    get = listed.get
    for match in _WORD.finditer(lower):
        word = match.group()
        flags = get(word)
        if flags is None:
            if "-" not in word and "'" not in word and "’" not in word:
                continue
            flags = _flags(listed, word)
            if not flags:
                continue
        start, end = match.span()
        if start < taken or word in not_names:
            continue
        case = _case(text[start:end])
        if not case or _glued(text, start, end):
            continue
        rare = not flags & _COMMON
        if _STREET_BEFORE.search(lower, max(0, start - 16), start):
            continue  # a street named after someone: "rue Josette Giraud", "Via Marco Polo"
        if _PLACE_BEFORE.search(lower, max(0, start - 12), start):
            continue  # "stuck in Jonathon Ville", "near Santa Rosa": a place
        found = _with_last_names(text, lower, end, case, rare) if flags & _FIRST else None
        evidence = "name list"
        if found is None and flags & _LAST:
            found = _first_name_after(text, lower, end, case, rare, not_names)
            evidence = "name list, last name first"
        if found is None and flags & _FIRST and rare and case == "title":
            found = _surname_after(text, lower, end, not_names)
            evidence = "name list, a first name and a surname"
        if found is not None:
            spans.append((start, found, evidence))
            taken = found
        elif flags & _FIRST and rare and case == "title" and _alone(text, lower, start, end):
            spans.append((start, end, "name list, a first name"))
    return spans


def _flags(listed: dict[str, int], word: str) -> int:
    """A word's flags; a double name ("reid-kelly", "ole-kristian") is listed if its
    parts are."""
    flags = listed.get(word)
    if flags is None and word.endswith(("'s", "’s")):
        word = word[:-2]
        flags = listed.get(word)
    if flags is not None or "-" not in word:
        return flags or 0
    parts = [listed.get(part, 0) for part in word.split("-")]
    if not all(parts):
        return 0
    found = _FIRST if all(p & _FIRST for p in parts) else 0
    found |= _LAST
    return found | (_COMMON if all(p & _COMMON for p in parts) else 0)


def _alone(text: str, lower: str, start: int, end: int) -> bool:
    """Whether a capitalised first name alone reads as a person's: before a verb
    ("Judith says", "ask Mette is she ..."), or after a verb whose object is a person
    ("call Justin about the lease"); not a part of a longer capitalised name ("San
    Francisco", "Mona Lisa")."""
    if _CAPITAL_NEXT.match(text, end) or _CAPITAL_BEFORE.search(text, max(0, start - 30), start):
        return False
    if _starts_sentence(text, start) and _LOWER_NEXT.match(text, end):
        return True  # "Marta holt dich um acht ab", "Jesse wants ..."
    return _VERB.match(lower, end) is not None or (
        _PERSON_VERB.search(lower, max(0, start - 16), start) is not None
    )


_PLACE_BEFORE = re.compile(r"\b(?:in|near|around|across|throughout|outside|inside|within)[ \t]+$")
_STREET_BEFORE = re.compile(
    r"\b(?:rue|avenue|av|calle|via|viale|piazza|corso|largo|rua|avenida|travessa|praça|"
    r"boulevard|bd|place|allée|chemin|quai|impasse|ul|ulica|aleja|plac|strada|aleea|calea|"
    r"carrer|paseo|plaza|camino|jalan|jl)\.?[ \t]+(?:(?:de|del|della|di|da|do|dos|des|du|la|le)"
    r"[ \t]+)?$"
)
_LOWER_NEXT = re.compile(r"[ \t]+[^\W\d_A-Z][^\W\d_]*[ \t]+[^\W\d_]")
_CAPITAL_NEXT = re.compile(r"[ \t]+[^\W\d_a-z]")  # part of a longer capitalised name
_CAPITAL_BEFORE = re.compile(r"[^\W\d_a-z][^\W\d_]*[ \t]+$")
_PERSON_VERB = re.compile(
    r"\b(?:call|ask|tell|remind|e-?mail|text|message|ping|meet|thank|invite|cc|help|let|"
    r"told|asked|called|emailed|texted|met|thanked|invited|helped|contact|contacted|phone|"
    r"phoned|pay|paid)[ \t]+$"
)


def _with_last_names(text: str, lower: str, end: int, case: str, rare: bool) -> int | None:
    """The end of the full name whose first name ends at `end` (one or two last names
    after it, an initial between allowed), or None; `rare`: the first name is no
    English word (else the last name must not be one)."""
    listed = names()
    at = end
    initial = _INITIAL.match(text, at)
    if initial is not None:
        at = initial.end()
    found = None
    for _ in range(2):
        gap = _GAP.match(text, at)
        part = _WORD.match(lower, gap.end()) if gap is not None else None
        if part is None:
            break
        first, last = part.span()
        flags = _flags(listed, part.group())
        if not flags & _LAST or _case(text[first:last]) != case or _glued(text, first, last):
            break
        if flags & _COMMON and not rare:
            break
        found = at = last
        if part.group().endswith(("'s", "’s")):
            return last - 2
    return found


_SURNAME = re.compile(r"[ \t]{1,2}([^\W\d_a-z][^\W\d_A-Z]+(?:[-'’][^\W\d_][^\W\d_A-Z]*)?)(?!\w)")
# Capitalised words after a first name that make it part of a place's or an
# organisation's name ("Regina Airport", "Hanna Group").
_NOT_SURNAMES = wordset(
    """street st road rd avenue ave lane drive way place square park river lake bay island
    mountain hill valley beach station airport bridge city county state province
    university college school academy institute hospital clinic hotel museum church
    cathedral bank group inc ltd llc gmbh corp company co foundation centre center hall
    house tower building mall market club stadium arena theatre theater cafe restaurant
    bar studio studios records press media labs software systems ville town city burg
    berg field ford port mouth"""
)


def _surname_after(text: str, lower: str, end: int, not_names: frozenset[str]) -> int | None:
    """The end of a capitalised word right after a listed first name that is no English
    word ("Hanna Ukkonen", "Steffen Mauer": surnames the list lacks), or None."""
    surname = _SURNAME.match(text, end)
    if surname is None:
        return None
    word = surname.group(1).lower()
    bare = word[:-2] if word.endswith(("'s", "’s")) else word
    if bare in not_names or bare in _NOT_SURNAMES or _glued(text, *surname.span(1)):
        return None
    flags = names().get(bare, 0)
    if flags & _COMMON:
        return None
    last = surname.end(1)
    return last - 2 if word != bare else last


_COMMA = re.compile(r",[ \t]{1,2}")


def _first_name_after(
    text: str, lower: str, end: int, case: str, rare: bool, not_names: frozenset[str]
) -> int | None:
    """The end of "Last, First" ("Kilgallon, Amelia", "MONNET, NATHAN") whose last name
    ends at `end`, or None."""
    comma = _COMMA.match(text, end)
    part = _WORD.match(lower, comma.end()) if comma is not None else None
    if part is None or part.group() in not_names:
        return None
    first, last = part.span()
    flags = _flags(names(), part.group())
    if not flags & _FIRST or _case(text[first:last]) != case or _glued(text, first, last):
        return None
    if flags & _COMMON and not rare:
        return None
    if _CAPITAL_NEXT.match(text, last) and case == "title":
        return None  # "Paris, Texas State ..."; a list of capitalised words
    return last


def _glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    return before in "@_/\\.#$`" or _GLUED.match(text, end) is not None


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:\n"
