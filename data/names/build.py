"""Build the router's list of first and last names from Faker's locales.

    python data/names/build.py    # writes src/inhouse/router/detectors/names.txt

Names that Faker writes in Cyrillic or Greek are added as English text writes them
(transliterated), and Faker's romanised Chinese and Japanese names are taken as they are.

The list lets `inhouse.router.detectors.people` find names that no cue announces and
the small NER model misses: foreign names in English sentences, names in lower case or
in capitals, a name line in an address block. It holds every first and last name of
Faker's person providers (all locales with names in Latin script), folded to lower
case, each with its flags: `f` a first name, `l` a last name, `c` also an English word
(in GCIDE, the GNU edition of Webster's 1913 dictionary, through the `english-words`
package): such a word ("rose", "mark", "park") counts as a name only where its case
says so.

No clock, no network: the output depends only on the Faker and english-words versions
(checked in the header line). Faker's name lists are public-domain census and registry
lists (MIT licence for the package); GCIDE is GPL, and only one flag per name is taken
from it, not its text.
"""

from __future__ import annotations

import importlib
import unicodedata
from pathlib import Path

import faker
from english_words import get_english_words_set
from faker.config import AVAILABLE_LOCALES

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src/inhouse/router/detectors/names.txt"
FIRST = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
    "first_romanized_names",
    "first_romanized_names_male",
    "first_romanized_names_female",
)
LAST = ("last_names", "last_names_male", "last_names_female", "last_romanized_names")
# Cyrillic and Greek names as English text writes them (BGN/PCGN-like, simplified:
# "Ефремова" -> "efremova" and "yefremova", "Всеволод" -> "vsevolod").
_CYRILLIC = dict(zip("абвгдзийклмнопрстуфыэ", "abvgdziyklmnoprstufye", strict=True)) | {
    "е": "e", "ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ь": "", "ю": "yu", "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g",
    "ў": "w", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "dj", "џ": "dz", "ѓ": "gj",
    "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
_GREEK = dict(
    zip("αβγδεζηικλμνξοπρστυφχωάέήίόύώϊϋΐΰς", "avgdeziiklmnxoprstyfhoaeiioyoiyiys", strict=True)
) | {"θ": "th", "ψ": "ps"}
_VOWELS = "аеёиоуыэюяіїє"


def latin(word: str) -> bool:
    """Letters of the Latin script only (accents allowed), apostrophes and hyphens inside."""
    if len(word) < 2 or not word[0].isalpha():
        return False
    for char in word:
        if char in "'’-":
            continue
        if not char.isalpha() or "LATIN" not in unicodedata.name(char, ""):
            return False
    return True


def transliterated(word: str) -> list[str]:
    """A Cyrillic or Greek name in Latin letters (one or two spellings), or []."""
    if all(char in _GREEK or char in "θψ" for char in word):
        return ["".join(_GREEK.get(char, char) for char in word)]
    if not all(char in _CYRILLIC for char in word):
        return []
    plain = "".join(_CYRILLIC[char] for char in word)
    # "е" at the start or after a vowel is often written "ye" (Yefremova, Dostoyevsky)
    ye = "".join(
        "ye" if char == "е" and (at == 0 or word[at - 1] in _VOWELS) else _CYRILLIC[char]
        for at, char in enumerate(word)
    )
    return sorted({plain, ye})


def names_of(provider: object, attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attribute in attributes:
        for value in getattr(provider, attribute, None) or ():
            for word in str(value).split():  # "Mary Ann", "de la Cruz": each word
                word = unicodedata.normalize("NFC", word.strip(".,")).lower()
                if latin(word):
                    found.add(word)
                else:
                    found.update(w for w in transliterated(word) if latin(w))
    return found


def main() -> None:
    first: set[str] = set()
    last: set[str] = set()
    for locale in sorted(AVAILABLE_LOCALES):
        try:
            module = importlib.import_module(f"faker.providers.person.{locale}")
        except ImportError:
            continue
        provider = module.Provider(faker.Generator())  # some lists are properties
        first |= names_of(provider, FIRST)
        last |= names_of(provider, LAST)
    english = get_english_words_set(["gcide"], alpha=True, lower=True)
    lines = [
        f"# names from Faker {faker.VERSION} person providers; English words from GCIDE"
        " (english-words); built by data/names/build.py"
    ]
    for word in sorted(first | last):
        flags = ("f" if word in first else "") + ("l" if word in last else "")
        flags += "c" if word in english else ""
        lines.append(f"{word}\t{flags}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = sum(1 for line in lines[1:] if line.endswith("c"))
    print(f"{len(lines) - 1} names ({len(first)} first, {len(last)} last, {common} also"
          f" English words) -> {OUT.relative_to(ROOT)}")  # fmt: skip


if __name__ == "__main__":
    main()
