"""Street addresses, in the orders and words of many languages.

An address needs a street with a house number, a unit line or a post box; a city, a
postcode or a country alone is no personal data and never fires ("75008 Paris", "ZIP
94103"), but on the lines below a street they are part of the address. What counts as
a street:

* a house number, then a name ending in a street word: "221B Baker Street", "0138 Emily
  Pines Apt. 595", "808, rue Josette Giraud" (the street words of the USPS list and
  their equivalents: road, lane, rue, calle, via, rua, ...);
* a street word, then a name and a number: "Calle Mayor 12", "Via Roma 3", "ul.
  Kwiatowa 12/3", "Fő utca 5";
* a name ending in a street word, then a number: "Hauptstraße 5", "Dorpsstraat 12",
  "Koskikatu 25", "Storgatan 3", "Vestergade 7";
* after a cue ("address:", "lives at", "ship to", "meet me at"), a house number and a
  capitalised name ("20789 Allika 46").

A unit line ("Apt. 595", "Suite 501", "Flat 3", "P.O. Box 1234") counts alone when it
is capitalised or starts its line, and joins the street lines around it. The hit covers
the whole address: from the house number to the last short line below it that looks
like a city, region, postcode or country (see `_block_end`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import Cues, cue_index, hit_at, keywords, wordset
from inhouse.router.normalize import Normalised

# Street words written after the name, as words of their own: the USPS street suffixes
# (Publication 28, appendix C1) and their abbreviations, and the same in other languages.
_AFTER = (
    r"street|st|road|rd|avenue|ave|av|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|"
    r"square|sq|terrace|ter|terr|way|wy|close|cl|crescent|cres|cresc|parkway|pkwy|highway|"
    r"hwy|circle|cir|trail|trl|row|mews|grove|gr|gardens|gdns|garden|gdn|park|pk|hill|hl|"
    r"walk|path|green|view|vw|alley|aly|plaza|plz|alley|arcade|bend|bluff|bluffs|branch|"
    r"brg|bridge|brook|brooks|burg|burgs|bypass|byp|camp|canyon|cape|causeway|cswy|center|"
    r"centre|ctr|cliff|cliffs|club|common|commons|corner|corners|course|courts|cove|coves|"
    r"creek|crk|crest|crossing|xing|crossroad|curve|dale|dam|divide|drives|estate|estates|"
    r"expressway|expy|extension|ext|falls|ferry|field|fields|flats|ford|fords|forest|forge|"
    r"forges|fork|forks|fort|freeway|fwy|gateway|glen|glens|greens|groves|harbor|harbour|"
    r"hbr|haven|heights|hts|hills|hollow|inlet|island|islands|isle|junction|jct|key|keys|"
    r"knoll|knolls|lake|lakes|land|landing|light|lights|loaf|lock|locks|lodge|loop|mall|"
    r"manor|manors|meadow|meadows|mill|mills|mission|motorway|mount|mountain|mtn|neck|"
    r"orchard|oval|overpass|pass|passage|pike|pine|pines|plain|plains|point|points|pt|port|"
    r"ports|prairie|radial|ramp|ranch|rapid|rapids|rest|ridge|ridges|river|roads|route|rte|"
    r"run|shoal|shoals|shore|shores|skyway|spring|springs|spur|spurs|squares|station|sta|"
    r"stravenue|stream|streets|summit|terraces|throughway|trace|track|trafficway|trails|"
    r"tunnel|turnpike|underpass|union|unions|valley|valleys|vly|via|viaduct|views|village|"
    r"villages|ville|vista|walks|wall|ways|well|wells|wharf|quay|embankment|parade|rise|"
    r"wynd|approach|broadway|mountains|mtns|burgs|"
    # the Australian and British street types (Australia Post's list) and others
    r"alleyway|amble|arcade|boardwalk|brace|brae|byway|chase|circlet|circuit|circus|"
    r"colonnade|concourse|copse|courtyard|crossway|cul-de-sac|dell|driveway|esplanade|"
    r"fairway|footway|frontage|glade|grange|highroad|promenade|quays|ridgeway|serviceway|"
    r"strand|thoroughfare|towers|vale|waters|nagar|marg|colony|enclave|"
    # other languages, as words of their own after the name
    r"utca|út|útja|tér|körút|kapu|köz|sor|sétány|sokak|caddesi|cad|iela|gatvė|tänav|mnt|maantee|straße|strasse|str|"
    r"gasse|weg|allee|platz|ring|damm|straat|laan|plein|gracht|singel|kade|vej|gade|gata|"
    r"gatan|vägen|gate|veien|vei|katu|tie|kuja|ulica|cesta|ulice|trg|sokağı"
)
# Street words written before the name: "Calle Mayor 12", "rue de la Paix", "ul. Polna".
_BEFORE = (
    r"calle|c/|avenida|avda|paseo|plaza|pza|carrer|camino|carretera|ronda|travesía|"
    r"travesia|glorieta|via|viale|piazza|piazzale|corso|largo|vicolo|contrada|strada|"
    r"località|rua|travessa|praça|praca|estrada|alameda|rodovia|rue|avenue|boulevard|bd|"
    r"bld|chemin|allée|allee|impasse|place|quai|route|cours|ulica|ul|aleja|al|plac|osiedle|"
    r"os|ulice|náměstí|nám|třída|bulevardul|calea|strada|str|soseaua|odos|leoforos|pl|trg|"
    r"peatonal|privada|cerrada|callejón|acceso|vial|pasaje|ronda|urbanización|cañada|rambla|"
    r"cuesta|carrera|c\.|r\.|canale|incrocio|stretto|borgo|rotonda|piazzetta|lungomare|salita|"
    r"traversa|rione|jalan|jl|gang|"
    r"gg|aleea|intrarea|splaiul|piața|"
    r"vereda|ladeira|beco|servidão|quadra|setor|rodovia|sokak|cadde|mahallesi|"
    r"calzada|circunvalación|circunvalacion|andador|circuito|corredor|diagonal|"
    r"continuación|prolongación|retorno|drumul|colônia|conjunto|jardim|chácara|fazenda|"
    r"viela|núcleo|residencial|lungarno|vicoletto|stradella|sentiero|chaussée"
)
# Street words glued to the end of the name: "Hauptstraße", "Puruntie", "Storgatan".
_SUFFIXES = (
    r"straße|strasse|str\.|gasse|weg|allee|platz|damm|ufer|steig|pfad|chaussee|straat|"
    r"laan|plein|gracht|singel|kade|dreef|vej|gade|stræde|vænge|gatan|vägen|gränd|torget|"
    r"stigen|backen|gata|gaten|veien|vegen|katu|tie|kuja|polku|tori|raitti|tänav|iela|"
    r"gatvė|utca|caddesi|sokağı|sokak|lei|steeg|-ring|vænget|gränd|boulevard|baan|dijk|markt|"
    r"stræti|vegur|braut|götu"
)
_LETTER = r"(?![\d_])\w"  # a letter, written for `keywords` (which lower-cases patterns)
_NAME = rf"{_LETTER}[\w'’.\-]*"
_NUMBER = r"\d{1,5}(?:[ \t]?[a-z])?(?:[-/]\d{1,4}[a-z]?)?"
# house number first, the street word last: "221b baker street", "808, rue x"
_STREET_A = keywords(
    rf"{_NUMBER},?[ \t]+(?:(?:{_BEFORE})\.?[ \t]+(?:{_NAME}[ \t]*){{1,5}}"
    rf"|(?:{_NAME}[ \t]+){{1,4}}?(?:{_AFTER})\b\.?)"
)
# the street word first, the number last ("calle mayor 12", "fő utca 5"), and a name
# ending in a street word, then the number ("hauptstraße 5", "puruntie 82"): what ends
# right before the number
_STREET_B = keywords(
    rf"(?:\b(?:{_BEFORE})\.?[ \t]+(?:{_NAME},?[ \t]+){{0,5}}?"
    rf"|\b{_NAME}[ \t]+(?:{_AFTER})\.?,?[ \t]+)"
    r"(?:(?:nr|no|n°|nº|num)\.?[ \t]*)?$"
)
_STREET_C = keywords(
    rf"\b{_LETTER}[\w'’\-]*?(?:{_SUFFIXES})[ \t]*,?[ \t]*(?:(?:nr|no|n°|nº)\.?[ \t]*)?$"
)

_STREET_WORDS = frozenset(w.strip("\\.") for w in f"{_AFTER}|{_BEFORE}".replace("/", "").split("|"))
_STREET_WORD_AT = Cues(r"\w", " ".join(sorted(_STREET_WORDS)))  # registers the words
# Street words that count in lower case too ("12 Smith road", "rue de la Paix"); the
# rest of the USPS list ("Run", "Point", "Key") only capitalised.
_LOWER_OK = (
    frozenset(
        [
            "street",
            "st",
            "road",
            "rd",
            "avenue",
            "ave",
            "av",
            "lane",
            "ln",
            "drive",
            "dr",
            "boulevard",
            "blvd",
            "court",
            "ct",
            "place",
            "pl",
            "square",
            "sq",
            "terrace",
            "close",
            "crescent",
            "way",
            "highway",
            "hwy",
            "parkway",
            "pkwy",
        ]
    )
    | frozenset(w.strip("\\.") for w in _BEFORE.replace("/", "").split("|"))
    | frozenset(w.strip("\\.") for w in _AFTER.split("|")[_AFTER.split("|").index("utca") :])
)
_SUFFIX_ENDS = tuple(w.replace("\\.", ".") for w in _SUFFIXES.split("|"))
_DIGITS = re.compile(r"\d{1,5}(?!\d)")
_HOUSE_NUMBER = keywords(_NUMBER + r"\b")
_REACH = 60  # the longest street name before or after its number
# English words that end like a street ("brigade", "sortie") and a number follows.
_NOT_STREETS = wordset("brigade renegade sortie necktie bowtie cutie hogtie history")
# Unit lines; the strong ones count alone (capitalised or at the start of a line).
_UNITS = Cues(
    r"(?P<strong>apt|apartment|apto|appt|appartement|suite|ste|flat|unit|studio|"
    r"p\.?[ \t]?o\.?[ \t]?box|post[ \t]+office[ \t]+box|postfach|boîte[ \t]+postale|"
    r"apartado(?:[ \t]+de[ \t]+correos)?|casilla|pmb)\.?[ \t]*(?:no\.?|#)?[ \t]*\d{1,6}[a-z]?\b"
    r"|(?P<military>(?:apo|fpo|dpo)[ \t]+(?:aa|ae|ap)[ \t]+\d{5})\b"
    r"|(?:floor|fl|room|rm|bldg|building|block|blk|piso|puerta|escalera|etage|stock|"
    r"wohnung|whg|app|bus|interno|int|scala|andar|sala)\.?[ \t]*(?:no\.?|#)?[ \t]*\d{1,4}[a-z]?\b",
    "apt apartment apto appt appartement suite ste flat unit studio p po post postfach boîte"
    " apartado casilla pmb apo fpo dpo floor fl room rm bldg building block blk piso puerta"
    " escalera etage stock wohnung whg app bus interno int scala andar sala",
)
# Cues after which a house number and a capitalised name are an address.
_CUES = Cues(
    r"address(?:[ \t]+is)?[ \t]*:?|adresse|anschrift|"
    r"wohnhaft|dirección|direccion|domicilio|indirizzo|adres|endereço|"
    r"(?:live|lives|living|lived|reside|resides|residing|located|situated|stay|staying)"
    r"[ \t]+(?:at|on|in)|(?:ship|deliver|send|sent|mail|post|return|forward)(?:[ \t]+it)?"
    r"[ \t]+to|(?:meet|meeting|see)[ \t]+(?:me|you|us)[ \t]+at|moved[ \t]+to|"
    r"(?:i|we)[ \t]+(?:once[ \t]+)?(?:live|lived)[ \t]+in|"
    r"(?:neighbou?rs?|office|house|home|flat|apartment)[ \t]+(?:at|on)|"
    r"at[ \t]+the[ \t]+(?:office|house|shop|store|venue)[ \t]*,",
    "address adresse anschrift wohnhaft dirección direccion domicilio indirizzo adres"
    " endereço live lives living lived reside resides residing located situated stay"
    " staying ship deliver send sent mail post return forward meet meeting see moved i we"
    " neighbour neighbours neighbor neighbors office house home flat apartment at",
)
_CUE_REACH = 40
_CUED = re.compile(
    rf"[ \t\n]*[?.:!]?[ \t\n]*(?:(?i:[a-z]{{2,12}}):[ \t]*)?(?:(?:it'?s|it[ \t]+is)[ \t]+)?"
    rf"(?:(?:to|at|is|in|on)[ \t]+)?(?P<address>{_NUMBER},?[ \t]+{_NAME}"
    rf"(?:[ \t]+(?:[^\W\d_a-z][\w'’\-]*|{_NUMBER}\b)){{0,4}}"
    rf"|(?:{_NAME},?[ \t]+){{1,4}}(?:(?:nr|no)\.?[ \t]*)?"
    rf"{_NUMBER}\b|(?i:{_BEFORE})\.?[ \t]+{_NAME}(?:[ \t]+{_NAME}){{0,3}})"
)
_HOUSE_LINE = re.compile(rf"[ \t>*?•|\-]*{_NUMBER},?[ \t]+[^\W\d_]")
_NUMBER_BEFORE = re.compile(rf"(?<![\w.,])(?:{_NUMBER})[ \t,]+$")
# A line below a street that belongs to its address: short, no sentence in it.
_ADDRESS_LINE = re.compile(r"[ \t>*?•|\-]*(?=[^\n]*[^\W_])[^\n.?!;:]{1,60}\.?[ \t]*")
# A part after a comma: capitalised words and numbers ("Beli Manastir", "IL 62704",
# "1444 LT"), a few small words of place names between ("Sainte-Marie-sur-Semois").
_PART = r"(?:[A-Z0-9À-Þ][\w'’.\-]*|\d[\w\-]*|de|la|le|sur|am|an|der|del|di|du|van|op|º|ª)(?!\w)"
_SEGMENT = re.compile(rf"[ \t]*,[ \t]*{_PART}(?:[ \t]+{_PART}){{0,5}}")
_BLOCK_LINES = 5


def find_addresses(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Street addresses (see the module doc), from the house number to the end of the
    address block.

    >>> from inhouse.router.detectors import excerpts
    >>> excerpts("Send it to 221B Baker Street, London NW1 6XE, please")
    [('address', '221B Baker Street, London NW1 6XE')]
    >>> excerpts("William Hughes\\n\\n20789 Allika 46\\n Suite 501\\n Riisa\\n Estonia 62488")
    [('name', 'William Hughes'),
     ('address', '20789 Allika 46\\n Suite 501\\n Riisa\\n Estonia 62488')]
    >>> excerpts("Lieferung an Hauptstraße 5, 10115 Berlin; Calle Mayor 12, 3º")
    [('address', 'Hauptstraße 5, 10115 Berlin'), ('address', 'Calle Mayor 12, 3º')]
    >>> excerpts("ZIP 94103, 75008 Paris, PLZ 10115 Berlin, the test suite ran 3 times")
    []
    """
    norm, lower = normalised.text, normalised.lower
    anchors: list[tuple[int, int, str]] = []
    cues = list(_CUES.finditer(lower))
    for start, end, glued in _streets(norm, lower):
        cued = any(0 <= start - cue.end() <= _CUE_REACH for cue in cues)
        if cued or _street(norm, start, end, glued):
            anchors.append((start, end, "street"))
    for match in _UNITS.finditer(lower):
        strong = match.group("strong") is not None
        alone = strong and (norm[match.start()].isupper() or _starts_line(norm, match.start()))
        if alone or match.group("military") or _near_street(anchors, match.start()):
            anchors.append((*match.span(), "unit"))
    for cue in cues:
        cued = _CUED.match(norm, cue.end())
        if cued is not None and cued.start("address") - cue.end() <= _CUE_REACH:
            start = cued.start("address")
            words = re.findall(r"[^\W\d_][\w'’\-]*", norm[start : cued.end()])
            led = bool(words) and words[0].lower() in _STREET_WORDS
            if (words and words[0][0].isupper()) or led or _capitalised_after_number(norm, start):
                anchors.append((start, cued.end(), "cue " + " ".join(cue.group().split())))
    spans = []
    for start, end, evidence in sorted(anchors):
        if spans and start <= spans[-1][1]:
            spans[-1] = (
                spans[-1][0],
                max(spans[-1][1], _block_end(norm, lower, end)),
                spans[-1][2],
            )
            continue
        begin = _number_before(norm, start) if norm[start].isdigit() else _block_start(norm, start)
        spans.append((begin, _block_end(norm, lower, end), evidence))
    merged: list[tuple[int, int, str]] = []
    for start, end, evidence in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, evidence))
    return [
        hit_at(normalised, "address", start, end, "address", "context", evidence)
        for start, end, evidence in merged
    ]


def _streets(text: str, lower: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, glued) of the streets with a house number in `lower` (see the
    module doc): each number is tried only if a street word stands within `_REACH`
    characters of it (capitalised, unless it is one of the usual ones: "road", "rue"),
    or the word right before it ends like a street (`glued`)."""
    words = sorted(
        at
        for word, starts in cue_index(lower).items()
        if word in _STREET_WORDS
        for at in starts
        if word in _LOWER_OK or text[at].isupper()
    )
    suffixes = tuple(suffix for suffix in _SUFFIX_ENDS if suffix in lower)
    postcodes = _POSTCODE_AFTER.search(lower) is not None
    cities = _CITY_POSTCODE.search(text) is not None
    if not words and not suffixes and not postcodes and not cities:
        return
    for number in _DIGITS.finditer(lower):
        start, end = number.span()
        if start and (lower[start - 1].isalnum() or lower[start - 1] in "_./:-"):
            continue  # in a word, or the second part of a date, a version, an address
        if _PART_OF_NUMBER.match(lower, end):
            continue  # a decimal, a time, an IP address, a thousands separator
        after = bisect.bisect_left(words, end)
        loose = start and lower[start - 1] == ","
        if not loose and after < len(words) and words[after] - end <= _REACH:
            street = _STREET_A.match(lower, start)
            if street is not None:
                yield start, street.end(), False
                continue
        before = bisect.bisect_left(words, start - _REACH)
        if before < len(words) and words[before] < start:
            street = _STREET_B.search(lower, max(0, start - _REACH), start)
            if street is not None:
                yield street.start(), _house_end(lower, start, end), False
                continue
        if suffixes and _glued_street_before(lower, start, suffixes):
            street = _STREET_C.search(lower, max(0, start - 40), start)
            if street is not None:
                yield street.start(), _house_end(lower, start, end), True
                continue
        if (
            postcodes
            and end - start <= 4
            and _POSTCODE_AFTER.match(lower, _house_end(lower, start, end))
        ):
            first = _capitalised_before(text, start)
            if first < start and lower[first:start].split()[-1] not in _NOT_HOUSE:
                yield first, _house_end(lower, start, end), False
                continue
        if cities and end - start <= 4:
            house = _house_end(lower, start, end)
            city = _CITY_POSTCODE.match(text, house)
            first = _capitalised_before(text, start) if city is not None else start
            if (
                first < start
                and city is not None
                and not _NOT_HOUSE.intersection(lower[first:start].split())
                and not _NOT_CITY.intersection(lower[house : city.end()].split())
            ):
                yield first, house, False


# After a house number: a comma, a postcode and a town ("9, 02511 Beli Manastir",
# "39, 1444 LT, Ossenisse", "6, 110 00 Praha").
_POSTCODE_AFTER = re.compile(
    r"(?:,[ \t]+|[ \t]*\n[ \t]*)(?:[a-z]{1,2}-)?(?!(?:19[5-9]|20[0-3])\d\b)\d{3,5}"
    r"(?:[ \t-]?\d{2,3})?"
    r"(?:[ \t]+[a-z]{2})?,?[ \t]+(?![\d_])\w"
)
# After a street and its number, a city with its postcode after it: "Husova 47\nPotštát
# 201 58", "Robinpad 49, Tzummarum, 2899QH", "Glogovac 8a, Krapina 23636".
_POSTCODE = (
    r"(?:[A-Z]{1,2}-)?\d{4,6}|\d{3}[ \t]\d{2}|\d{4}[ \t]?[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"
)
_CITY_POSTCODE = re.compile(
    r"(?:,[ \t]*|[ \t]*\n[ \t]*)[^\W\d_a-z][\w'’.\-]*(?:[ \t]+(?:[^\W\d_a-z][\w'’.\-]*|"
    r"\([^\W\d_][\w'’.\- ]*\)|nad|pod|am|an|der|de|la|le|sur|na|u|v))?"
    rf"(?:[ \t]+[^\W\d_a-z][\w'’.\-]*)?,?[ \t]+(?:{_POSTCODE})(?![\w\-])"
)
# Words that make a "name number, name number" pair something else: "Order 12, Invoice
# 98765", "Room 4, Building 2210".
_NOT_CITY = wordset(
    "order invoice ticket case page pages chapter version room floor gate platform flight "
    "terminal item part model step level section table figure line row seat track batch "
    "lot build release issue pr sprint week day year vol volume no nr number id ref"
)
# Words before a number that make it no house number: "ZIP 94103, 75008 Paris".
_NOT_HOUSE = wordset(
    "zip plz postcode cp cap code version python windows node page chapter order invoice "
    "ticket case room floor gate platform flight terminal item part model step level "
    "section table figure line row seat track batch lot build release issue sprint week "
    "day year vol volume no nr number id ref"
)
_WORD_END = re.compile(r"([^\W\d_][\w'’.\-]*)[ \t]+$")


def _capitalised_before(text: str, start: int, most: int = 4) -> int:
    """The start of the words (up to `most`, the first of them capitalised: "Pod
    akacijami", "Ady endre utca") that end right before `start` on its line, or
    `start`."""
    first, found = start, start
    for _ in range(most):
        word = _WORD_END.search(text, max(0, first - 30), first)
        if word is None:
            break
        first = word.start(1)
        if word.group(1)[0].isupper():
            found = first
    return found


_PART_OF_NUMBER = re.compile(r"[.:,]\d")


def _glued_street_before(lower: str, start: int, suffixes: tuple[str, ...]) -> bool:
    """Whether the word before the number at `start` (a "nr." or "no." between
    allowed) ends like a street: "hauptstraße 5", "strandvägen nr. 5"."""
    before = lower[max(0, start - 40) : start].rstrip(" \t,")
    if not before or (not before[-1].isalpha() and before[-1] != "."):
        return False
    if before.endswith(("nr.", "no.", "n°", "nº")):
        before = before[: before.rfind("n")].rstrip(" \t,")
    return before.endswith(suffixes)


def _house_end(lower: str, start: int, end: int) -> int:
    """The end of the house number at `start` ("12", "12a", "12/3")."""
    house = _HOUSE_NUMBER.match(lower, start)
    return house.end() if house is not None else end


def _street(text: str, start: int, end: int, glued: bool) -> bool:
    """Whether a street's match is one: its name capitalised (a street word in lower
    case may follow: "12 Smith road"), not an English word ending like a street."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", text[start:end])
    if not words:
        return False
    if glued:
        return words[0][0].isupper() and words[0].lower() not in _NOT_STREETS and len(words[0]) > 4
    return any(w[0].isupper() for w in words)


def _capitalised_after_number(text: str, start: int) -> bool:
    name = re.match(rf"{_NUMBER},?[ \t]+({_NAME})", text[start:])
    return name is not None and name.group(1)[0].isupper()


def _starts_line(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    return not text[line_start:at].strip(" \t>*?•|-")


def _near_street(anchors: list[tuple[int, int, str]], at: int) -> bool:
    return any(0 <= at - end <= 60 for _, end, _ in anchors)


_NUMBER_ALONE_BEFORE = re.compile(rf"(?<![\w.,])(?<!\d[ \t])(?:{_NUMBER})[ \t]+$")
_MILITARY = re.compile(r"[ \t>*?•|\-]*(?:uss|usns|usnv|uscgc|psc|unit|cmr)[ \t]", re.IGNORECASE)


def _number_before(text: str, start: int) -> int:
    """A house number right before a street that starts with its own number ("846 31
    Rue Al Imam", "3378 217 Lovers Lane"): not one that ends a longer number (a phone
    number's last group: "7946 0958 221 Baker St")."""
    before = _NUMBER_ALONE_BEFORE.search(text, max(0, start - 8), start)
    return start if before is None else before.start()


def _block_start(text: str, start: int) -> int:
    """Where the address that a street or unit starts at `start` begins: at a house
    number right before it on its line ("28245 Puruntie 82"), or a line above that
    starts with one ("20789 Allika 46" above "Suite 501")."""
    before = _NUMBER_BEFORE.search(text, max(0, start - 12), start)
    if before is not None:
        start = before.start()
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t>*?•|-"):
        return start
    above_end = line_start - 1
    if above_end <= 0:
        return start
    above_start = text.rfind("\n", 0, above_end) + 1
    above = _HOUSE_LINE.match(text, above_start, above_end) or _MILITARY.match(
        text, above_start, above_end
    )
    if above and above_end - above_start <= 60:
        return (
            above_start
            + len(text[above_start:above_end])
            - len(text[above_start:above_end].lstrip(" \t>*?•|-"))
        )
    return start


def _block_end(text: str, lower: str, end: int) -> int:
    """Where the address that ends its street or unit at `end` ends: after the comma
    separated parts that follow on its line (a unit, a city, a region and postcode, a
    country), and, if nothing else follows on that line, after the short lines below
    it (one blank line allowed between) that look like the rest of an address."""
    while True:
        unit = _UNITS.pattern.match(lower, end + len(text[end:]) - len(text[end:].lstrip(" \t,")))
        if unit is not None:
            end = unit.end()
            continue
        segment = _SEGMENT.match(text, end)
        if segment is None:
            break
        end = segment.end()
    end = (
        end + len(text[end:]) - len(text[end:].lstrip(" \t"))
        if text[end:].strip(" \t")[:1]
        in (
            "\n",
            "",
        )
        else end
    )
    line_end = text.find("\n", end)
    if line_end < 0 or text[end:line_end].strip(" \t,"):
        return _trimmed(text, end)
    at, lines, blank = line_end + 1, 0, False
    while lines < _BLOCK_LINES and at < len(text):
        next_end = text.find("\n", at)
        next_end = len(text) if next_end < 0 else next_end
        line = text[at:next_end]
        if not line.strip():
            if blank:
                break
            blank = True
            at = next_end + 1
            continue
        if not _ADDRESS_LINE.fullmatch(line) or len(line.split()) > 6 or _sentence(line):
            break
        end, blank, lines = next_end, False, lines + 1
        at = next_end + 1
    return _trimmed(text, end)


def _sentence(line: str) -> bool:
    """A line of prose, not of an address: it has lower-case words other than the
    small words of place names ("sur", "am", "de")."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", line)
    lower = [w for w in words if w[0].islower() and w not in _PLACE_SMALL_WORDS]
    return len(lower) >= 2 or (len(words) > 0 and len(lower) == len(words) and len(words) > 1)


_PLACE_SMALL_WORDS = wordset(
    "de la le les du des sur sous en am an der die das im in bei ob upon on the of y e di "
    "del della van op aan den ter st road street rd st. apt suite flat unit floor"
)


def _trimmed(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\n,.;:":
        end -= 1
    return end
