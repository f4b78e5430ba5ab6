"""Find what a sentence can be asked about: quantities, dates, names, quotes, argument markers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.generate.clean import word_zipf

# --------------------------------------------------------------------------- generic resources

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
_MONTH_RE = "|".join(MONTHS)
WEEKDAYS = frozenset(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "fifty": 50,
    "hundred": 100, "double": 2, "twice": 2, "triple": 3,
}  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
CURRENCIES = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
TITLES = frozenset(
    [
        "President",
        "Presidents",
        "Prime",
        "Minister",
        "Ministers",
        "Foreign",
        "Defense",
        "Defence",
        "Secretary",
        "Chancellor",
        "General",
        "Admiral",
        "Senator",
        "Sen.",
        "Representative",
        "Rep.",
        "Governor",
        "Gov.",
        "Mayor",
        "Ambassador",
        "Director",
        "Chairman",
        "Chair",
        "Chief",
        "Spokesman",
        "Spokeswoman",
        "Spokesperson",
        "King",
        "Queen",
        "Prince",
        "Premier",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Dr.",
        "Professor",
        "Prof.",
        "Judge",
        "Justice",
        "Attorney",
        "Deputy",
        "Acting",
        "Former",
        "Vice",
        "Special",
        "Counsel",
        "Colonel",
        "Advisor",
        "Adviser",
        "Secretary-General",
        "Lieutenant",
        "Captain",
        "Commander",
        "Pope",
        "Sheikh",
        "Emir",
        "Sultan",
        "Then-President",
        "Then-Director",
    ]
)
PERSON_ROLES = [
    "spokesman",
    "spokeswoman",
    "journalist",
    "professor",
    "advisor",
    "adviser",
    "lawyer",
    "attorney",
    "ambassador",
    "minister",
    "president",
    "director",
    "chairman",
    "executive",
    "officer",
    "official",
    "expert",
    "analyst",
    "author",
    "scholar",
    "economist",
    "reporter",
    "leader",
    "oligarch",
    "businessman",
    "senator",
    "secretary",
]
ORG_WORDS = frozenset(
    [
        "Organization",
        "Organisation",
        "Council",
        "Ministry",
        "Agency",
        "Committee",
        "Club",
        "Forum",
        "Initiative",
        "Union",
        "Corporation",
        "Company",
        "Bank",
        "Party",
        "Congress",
        "Department",
        "Office",
        "Army",
        "Force",
        "Forces",
        "Center",
        "Centre",
        "Institute",
        "University",
        "Association",
        "Commission",
        "Court",
        "Group",
        "Federation",
        "Assembly",
        "Strategy",
        "Fund",
        "Administration",
        "Bureau",
        "Service",
        "Senate",
        "House",
        "Parliament",
        "Duma",
        "Academy",
        "School",
        "Foundation",
        "Alliance",
        "Coalition",
        "Campaign",
        "Committee",
        "Times",
        "Post",
        "Journal",
        "News",
        "Agency",
        "Review",
        "Treaty",
        "Act",
    ]
)
PLACE_WORDS = frozenset(
    [
        "River",
        "Sea",
        "Ocean",
        "Island",
        "Islands",
        "Peninsula",
        "Region",
        "Krai",
        "Province",
        "Oblast",
        "State",
        "City",
        "Mountains",
        "States",
        "Kingdom",
        "Gulf",
        "Strait",
        "Bay",
        "Valley",
        "Desert",
        "Lake",
        "Coast",
        "Arctic",
        "Asia",
        "Europe",
        "Africa",
        "America",
        "Eurasia",
        "East",
        "West",
        "North",
        "South",
        "Pacific",
        "Atlantic",
    ]
)
COUNTRIES = frozenset(
    [
        "Afghanistan",
        "Albania",
        "Algeria",
        "Argentina",
        "Armenia",
        "Australia",
        "Austria",
        "Azerbaijan",
        "Bangladesh",
        "Belarus",
        "Belgium",
        "Bolivia",
        "Brazil",
        "Bulgaria",
        "Cambodia",
        "Canada",
        "Chile",
        "China",
        "Colombia",
        "Croatia",
        "Cuba",
        "Cyprus",
        "Czechia",
        "Denmark",
        "Egypt",
        "Estonia",
        "Ethiopia",
        "Finland",
        "France",
        "Georgia",
        "Germany",
        "Greece",
        "Hungary",
        "India",
        "Indonesia",
        "Iran",
        "Iraq",
        "Ireland",
        "Israel",
        "Italy",
        "Japan",
        "Jordan",
        "Kazakhstan",
        "Kenya",
        "Korea",
        "Kuwait",
        "Kyrgyzstan",
        "Laos",
        "Latvia",
        "Lebanon",
        "Libya",
        "Lithuania",
        "Malaysia",
        "Mexico",
        "Moldova",
        "Mongolia",
        "Morocco",
        "Myanmar",
        "Nepal",
        "Netherlands",
        "Nigeria",
        "Norway",
        "Pakistan",
        "Peru",
        "Philippines",
        "Poland",
        "Portugal",
        "Qatar",
        "Romania",
        "Russia",
        "Serbia",
        "Singapore",
        "Slovakia",
        "Somalia",
        "Spain",
        "Sudan",
        "Sweden",
        "Switzerland",
        "Syria",
        "Taiwan",
        "Tajikistan",
        "Thailand",
        "Tunisia",
        "Turkey",
        "Turkmenistan",
        "Ukraine",
        "Uzbekistan",
        "Venezuela",
        "Vietnam",
        "Yemen",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Crimea",
        "Tibet",
        "Xinjiang",
        "Hong",
        "Kong",
        "Europe",
        "Asia",
        "Africa",
    ]
)
DEMONYMS = frozenset(
    [
        "American",
        "Chinese",
        "Russian",
        "Soviet",
        "European",
        "Asian",
        "African",
        "British",
        "English",
        "French",
        "German",
        "Indian",
        "Japanese",
        "Korean",
        "Iranian",
        "Iraqi",
        "Syrian",
        "Turkish",
        "Ukrainian",
        "Polish",
        "Italian",
        "Spanish",
        "Israeli",
        "Arab",
        "Western",
        "Eastern",
        "Central",
        "Asian",
        "Pakistani",
        "Afghan",
        "Mongolian",
        "Kazakh",
        "Uzbek",
        "Georgian",
        "Armenian",
        "Canadian",
        "Mexican",
        "Brazilian",
        "Australian",
        "Saudi",
        "Egyptian",
        "Cuban",
        "Venezuelan",
        "Vietnamese",
        "Taiwanese",
        "Sino-Russian",
        "Sino-Soviet",
        "Russo-Chinese",
        "Democratic",
        "Republican",
    ]
)
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "one",
        "two",
        "its",
        "such",
        "many",
        "much",
        "well",
        "even",
        "still",
        "yet",
    ]
)
MULTI_COUNTRIES = frozenset(
    [
        "United States",
        "United Kingdom",
        "South Korea",
        "North Korea",
        "Saudi Arabia",
        "South Africa",
        "New Zealand",
        "Hong Kong",
        "Soviet Union",
        "European Union",
    ]
)


def is_country(name: str) -> bool:
    return name in COUNTRIES or name in MULTI_COUNTRIES


PRONOUN_STARTS = frozenset(
    [
        "this",
        "these",
        "that",
        "those",
        "they",
        "them",
        "their",
        "it",
        "its",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "such",
        "both",
    ]
)

# --------------------------------------------------------------------------- spans


@dataclass(frozen=True)
class Span:
    """Something in a sentence a card can ask for."""

    kind: str  # money | percent | count | multiplier | year | date | entity | term
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    etype: str | None = None  # for entities: person | org | place | group | other

    @property
    def numeric(self) -> bool:
        return self.value is not None


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?P<cur>[$€£¥])\s?(?P<num>{_NUM})(?:\s?(?P<scale>trillion|billion|million|thousand|bn)\b)?"
    rf"|(?P<num2>{_NUM})\s(?P<scale2>trillion|billion|million|thousand)?\s?(?P<cur2>dollars|euros|yuan|rubles|roubles|pounds|yen)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUM})\s?(?:%|percent\b|per cent\b)")
_DATE = re.compile(
    rf"\b(?:(?:early|mid|late)-?\s?)?(?:(?:{_MONTH_RE})\s+\d{{1,2}},?\s+(?:1[5-9]|20)\d\d"
    rf"|\d{{1,2}}\s+(?:{_MONTH_RE})\s+(?:1[5-9]|20)\d\d|(?:{_MONTH_RE})\s+(?:1[5-9]|20)\d\d)\b"
)
_YEAR = re.compile(r"(?<![\w$.,-])(?:1[6-9]|20)\d\d(?![\w%]|,\d|\.\d)")
_COUNT = re.compile(
    rf"(?<![\w$.,-])(?P<num>{_NUM})(?:\s(?P<scale>million|billion|thousand|trillion))?"
    r"(?P<unit>(?:\s(?:[A-Za-z][a-z-]+)){1,3})"
)
_MULT = re.compile(
    r"\b(?P<word>two|three|four|five|six|seven|eight|nine|ten|\d+)\s+times\b"
    r"|\b(?P<fold>two|three|four|five|six|seven|eight|nine|ten)fold\b",
    re.IGNORECASE,
)
_CAP_TOKEN = r"(?:(?:St|Mt|Ft|Jr|Dr|Mr|Mrs|Ms)\.|[A-Z][\w’'.&-]*[\w’'&]|[A-Z]\.?)"
_ENTITY = re.compile(rf"{_CAP_TOKEN}(?:\s+(?:(?:of|the|and|for|de|du|al|bin)\s+)*{_CAP_TOKEN})*")
_ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w’'-]+\s+(?:(?:of|the|and|for|on|to|in)\s+){0,2}){1,8}[A-Z][\w’'-]+)"
    r"\s+\((?P<short>[A-Z][A-Za-z&]{1,9})[,)]"
)
_UNIT_STOP = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "than",
        "the",
        "a",
        "an",
        "as",
        "that",
        "which",
        "who",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "it",
        "its",
    ]
)


def _parse_number(s: str) -> float:
    return float(s.replace(",", ""))


def _scale_word(word: str | None) -> str:
    return (word or "").lower().replace("bn", "billion")


_REFERENCE_NUMBER = re.compile(
    r"(?:\b(?:Part|Parts|Section|Sections|Title|Chapter|Figure|Fig\.|Table|Appendix|No\.|Nos\.|"
    r"Volume|Vol\.|Article|Rule|Form|Line|Page|Step|Phase|Level|Tier|Grade|Version|v\.|GAO|OIG|"
    r"P\.L\.|U\.S\.C\.|CFR|FAR)\s*[-–]?\s*|[×x]\s*)$"
)


def reference_number(text: str, start: int, end: int) -> bool:
    """Whether a number is a label ("FAR Part 42.5", "Section 508", "a 2×2 chart"), not a quantity."""
    return bool(_REFERENCE_NUMBER.search(text[max(0, start - 14) : start])) or bool(
        re.match(r"\s*[×x]\s*\d", text[end : end + 4])
    )


def find_spans(text: str) -> list[Span]:
    """Quantities, dates, years and names in ``text``, non-overlapping, in order."""
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(span: Span) -> None:
        if span.kind in ("count", "percent", "multiplier", "money") and reference_number(
            text, span.start, span.end
        ):
            taken.append((span.start, span.end))  # a label, and no other span inside it
            return
        if free(span.start, span.end):
            spans.append(span)
            taken.append((span.start, span.end))

    for m in _MONEY.finditer(text):
        if m.group("num"):
            cur = CURRENCIES.get(m.group("cur"), m.group("cur"))
            scale = _scale_word(m.group("scale"))
            value = _parse_number(m.group("num"))
        else:
            cur = m.group("cur2").lower()
            scale = _scale_word(m.group("scale2"))
            value = _parse_number(m.group("num2"))
        unit = f"{scale} {cur}".strip()
        add(Span("money", m.group(0).strip(), m.start(), m.end(), value, unit))
    for m in _PERCENT.finditer(text):
        add(
            Span(
                "percent", m.group(0), m.start(), m.end(), _parse_number(m.group("num")), "percent"
            )
        )
    for m in _DATE.finditer(text):
        add(Span("date", m.group(0), m.start(), m.end()))
    for m in _MULT.finditer(text):
        word = (m.group("word") or m.group("fold")).lower()
        value = float(NUMBER_WORDS.get(word, 0) or (word.isdigit() and int(word)) or 0)
        if value:
            add(Span("multiplier", m.group(0), m.start(), m.end(), value, "times"))
    for m in _YEAR.finditer(text):
        add(Span("year", m.group(0), m.start(), m.end(), float(m.group(0)), None))
    for m in _COUNT.finditer(text):
        words = m.group("unit").split()
        unit_words: list[str] = []
        for i, w in enumerate(words):
            if w.lower() in _UNIT_STOP or w.lower() in STOPWORDS:
                break
            if w.lower() in (
                "remain",
                "remains",
                "exist",
                "exists",
                "occur",
                "occurs",
                "need",
                "needs",
                "received",
                "receive",
                "remained",
                "became",
                "become",
            ):
                break  # "about 42,000 remain": a verb, no unit
            if i and re.fullmatch(r"[a-z]+(?:ed|ing|ly)", w):
                break  # "335 provisions related to": the unit is "provisions"
            unit_words.append(w)
        if not unit_words:
            continue
        scale = m.group("scale") or ""
        end = m.start("unit") + len(" " + " ".join(unit_words))
        value = _parse_number(m.group("num"))
        preceding = text[: m.start()].rstrip().split(" ")[-1:] or [""]
        if (
            unit_words[0].lower() in MONTHS_LOWER
            or unit_words[0].lower() in ("am", "pm")
            or preceding[0] in MONTHS
        ):
            continue
        if unit_words[0][:1].isupper() and not scale and unit_words[0] not in DEMONYMS:
            continue  # "5 Deciding what to buy": a number before a heading or a table cell
        unit = " ".join(([scale] if scale else []) + unit_words)
        add(Span("count", text[m.start() : end], m.start(), end, value, unit))
    for m in _ENTITY.finditer(text):
        span = _entity_span(text, m.start(), m.group(0))
        if span is not None:
            add(span)
    for m in _QUOTED_TERM.finditer(text):
        noun = re.match(r"\s+([a-z][a-z-]{3,})\b(?:\s+([a-z][a-z-]{3,})\b)?", text[m.end() :])
        if noun and noun.group(2) and (noun.group(2) in STOPWORDS or noun.group(2) in _UNIT_STOP):
            noun = re.match(r"\s+([a-z][a-z-]{3,})\b", text[m.end() :])
        if len(m.group("t").split()) == 1 and noun and noun.group(1) not in STOPWORDS:
            # a scare-quoted modifier: ask the whole term, “color” revolutions
            end = m.end() + noun.end(noun.lastindex or 1)
            add(Span("term", text[m.start() : end], m.start(), end, etype="quoted"))
        else:
            add(Span("term", m.group("t"), m.start("t"), m.end("t"), etype="quoted"))
    for m in _ORDINAL.finditer(text):
        add(Span("term", m.group(0), m.start(), m.end()))
    for m in _CURRENCY.finditer(text):
        add(Span("term", m.group(0), m.start(), m.end(), etype="currency"))
    for m in _EXAMPLE.finditer(text):
        phrase = _key_phrase(m.group("np"), allow_one=True)
        if phrase:
            start = m.start("np")
            add(Span("term", phrase, start, start + len(phrase), etype="example"))
    for m in _COMPLEMENT.finditer(text):
        phrase = _key_phrase(m.group("np"))
        if phrase:
            start = m.start("np")
            add(Span("term", phrase, start, start + len(phrase)))
    return sorted(spans, key=lambda s: s.start)


# the complement of a copula or a "key" verb: "represents a geopolitical equalizer"
_COMPLEMENT = re.compile(
    r"\b(?:is|are|was|were|represents|represent|remains|remain|becomes|become|"
    r"preoccupation is|known as)\s+(?:(?:a|an|the|their|its|his|her|our|both|"
    r"the world’s|the world's)\s+)?(?:(?:two|three|four|five|first|second|main|key)\s+)?"
    r"(?P<np>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})"
)


_EXAMPLE = re.compile(
    r"(?:\b(?:such as|including|notably|especially)|\be\.g\.,?)\s+"
    r"(?P<np>[A-Za-z][\w-]*(?:\s+[a-z][\w-]*){0,3})"
)


def _key_phrase(np: str, allow_one: bool = False) -> str | None:
    """The leading content words of a noun phrase (1-4 words), or None when it is not one."""
    out: list[str] = []
    stop = ""
    for w in np.split():
        if w in STOPWORDS or w in _UNIT_STOP or w.endswith("ly") or w in _WEAK_WORDS:
            stop = w
            break
        out.append(w)
    if out and out[-1] in _GOVERNING_ADJECTIVES and stop in ("to", "with", "from", "of"):
        return None  # "a global power equal | to the United States": cut mid-phrase
    if len(out) < (1 if allow_one else 2) or len(out) > 4:
        return None
    if out[0].endswith("ing"):
        return None
    if out[0].endswith("ing") and len(out) == 1:
        return None
    if any(w.endswith("ed") and w not in ("armed",) and word_zipf(w) >= 0 for w in out[:1]):
        return None
    return " ".join(out)


_GOVERNING_ADJECTIVES = frozenset([
    "equal", "similar", "comparable", "equivalent", "identical", "superior", "inferior", "close",
    "closer", "subject", "vulnerable", "open", "hostile", "loyal", "akin", "opposed", "prone",
    "susceptible", "central", "vital", "essential", "crucial", "critical", "key", "relevant",
    "committed", "dedicated", "devoted",
])  # adjectives whose complement ("equal to X") must stay with them  # fmt: skip


_WEAK_WORDS = frozenset(
    [
        "able",
        "likely",
        "unlikely",
        "important",
        "more",
        "less",
        "much",
        "many",
        "clear",
        "possible",
        "different",
        "similar",
        "due",
        "based",
        "part",
        "also",
        "not",
        "never",
        "often",
        "only",
        "still",
        "about",
        "against",
        "today",
        "now",
        "whose",
        "then",
        "here",
        "there",
        "this",
        "that",
        "these",
        "those",
    ]
)


_QUOTED_TERM = re.compile(r"[“\"](?P<t>[A-Za-z][\w’' -]{2,60}?)[”\"]")
_CURRENCY_NAME = (
    r"(?:dollar|euro|yuan|renminbi|ruble|rouble|yen|pound sterling|rupee|rupiah|peso|lira|"
    r"franc|rand|krona|krone|zloty|forint|hryvnia|dinar|riyal|dirham|shekel|baht|ringgit)s?"
)
# a named currency, or two joined: "the ruble and the yuan"
_CURRENCY = re.compile(
    rf"\bthe (?:[A-Z][\w.]* )?{_CURRENCY_NAME}(?: and the (?:[A-Z][\w.]* )?{_CURRENCY_NAME})?\b"
)


_ORDINAL = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|number one|number two)"
    r"[- ](?:largest|longest|biggest|most|highest|lowest|smallest|leading|top)\b",
    re.IGNORECASE,
)


MONTHS_LOWER = frozenset(m.lower() for m in MONTHS)
_CLAUSE_OPENERS = frozenset(
    [
        "whereas",
        "while",
        "although",
        "though",
        "since",
        "if",
        "when",
        "as",
        "because",
        "however",
        "thus",
        "moreover",
        "indeed",
        "nevertheless",
        "nonetheless",
        "furthermore",
        "meanwhile",
        "unlike",
        "despite",
        "after",
        "before",
        "during",
        "given",
        "following",
        "according",
    ]
)


def _entity_span(text: str, start: int, raw: str) -> Span | None:
    tokens = raw.split()
    at_sentence_start = start == 0 or text[:start].strip() in ("", "“", '"', "(")
    if (
        at_sentence_start
        and len(tokens) > 1
        and tokens[0] != "The"
        and not is_country(tokens[0])
        and tokens[0] not in PLACE_WORDS
        and not is_country(" ".join(tokens[:2]))
        and (
            (
                word_zipf(tokens[0].lower()) >= 4.5
                and tokens[0] not in DEMONYMS
                and tokens[0] not in TITLES
            )
            or tokens[0].lower() in _CLAUSE_OPENERS
        )
    ):
        tokens.pop(0)  # "As the Financial Times": a sentence-initial word joined the name
    while len(tokens) > 1 and tokens[0].lower() in STOPWORDS:
        tokens.pop(0)
    # drop leading titles/demonyms but remember them for the type; names of bodies keep them
    lead: list[str] = []
    is_body = tokens[-1].rstrip("’'s") in ORG_WORDS if tokens else False
    while len(tokens) > 1 and (
        tokens[0] == "The" or (not is_body and (tokens[0] in TITLES or tokens[0] in DEMONYMS))
    ):
        if tokens[1] in ORG_WORDS:
            break
        if (
            len(tokens) == 2
            and word_zipf(re.sub(r"[’']s?$", "", tokens[1].lower())) >= 3.5
            and tokens[0] != "The"
        ):
            break  # "Justice Manual", "Special Counsel": the title is part of the name
        lead.append(tokens.pop(0))
    if lead and tokens and tokens[0] == "of":
        return None  # "Minister of Defense Wei Fenghe": a role and a name run together
    while tokens and tokens[0].lower() in ("the", "of", "and"):
        tokens.pop(0)
    if not tokens or not tokens[0][:1].isupper():
        return None
    while tokens and tokens[-1].lower() in ("of", "the", "and", "for", "on", "de"):
        tokens.pop()
    # "Russia and China", "X Force and the Y Force": two names, keep the first
    for i, tok in enumerate(tokens):
        if tok == "and" and i > 0 and i + 1 < len(tokens) and tokens[i + 1] == "the":
            tokens = tokens[:i]
            break
        if tok == "and" and i > 0:
            before = tokens[i - 1]
            after = tokens[-1]
            if (
                before in ORG_WORDS
                or before in COUNTRIES
                or before in PLACE_WORDS
                or (after not in ORG_WORDS)
                or word_zipf(before.lower()) < 3.5
            ):
                tokens = tokens[:i]
                break
    while tokens and tokens[-1].lower() in ("of", "the", "and", "for", "on", "de"):
        tokens.pop()
    if not tokens:
        return None
    name = " ".join(tokens)
    if not re.search(r"\b(?:[A-Z]|Jr|Sr|St|Co|Inc|Ltd|Corp)\.$", name):
        name = name.rstrip(".’'")
    if name.endswith("’s") or name.endswith("'s"):
        name = name[:-2]
    offset = raw.find(tokens[0])
    s = start + offset
    e = s + len(name)
    if "’s " in name or "'s " in name:
        return None
    # part of a hyphenated word ("post-Crimea", "Sino-Russian") or a modifier ("U.S. policy")
    if (s > 0 and text[s - 1] in "-‐") or text[e : e + 1] in ("-", "‐"):
        return None
    if len(tokens) == 1 and "." in name:
        return None
    if re.fullmatch(r"[IVXLC]{1,5}", name):
        return None  # a roman numeral ("Mueller, III", "Section IV")
    if len(tokens) == 1:
        tok = tokens[0].rstrip(".’'")
        if tok in MONTHS or tok in WEEKDAYS or tok == "I" or len(tok) < 2:
            return None
        at_start = s == 0 or text[:s].strip() in ("", "“", '"', "(")
        if (at_start and not lead) and word_zipf(tok.lower()) >= 3.5 and tok not in COUNTRIES:
            return None
        if tok in DEMONYMS or tok in TITLES:
            return None
    return Span("entity", text[s:e], s, e, etype=entity_type(text[s:e], lead, text, e))


def entity_type(name: str, lead: list[str], text: str = "", end: int = 0) -> str:
    """person | org | place | group | other, from generic cues only."""
    tokens = name.split()
    last = tokens[-1].rstrip(".,")
    if any(t in TITLES for t in lead) and not any(t in ORG_WORDS for t in tokens):
        return "person"
    if re.fullmatch(r"[A-Z][A-Z&.]{1,9}", name.replace(" ", "")):
        return "org"
    if any(t in ORG_WORDS for t in tokens):
        return "org"
    if is_country(name) or last in PLACE_WORDS or tokens[0] in PLACE_WORDS:
        return "place"
    after = text[end : end + 30].lower()
    if re.match(
        r"\s*(?:said|says|warned|stressed|argued|noted|observed|told|wrote|stated|added|"
        r"claimed|revealed|clarified|elaborated|declared|announced)",
        after,
    ):
        return "person"
    before_role = lead and lead[-1].lower() in PERSON_ROLES
    if before_role:
        return "person"
    if (
        2 <= len(tokens) <= 3
        and all(t[:1].isupper() and t[1:].islower() and t.isalpha() for t in tokens)
        and all(word_zipf(t.lower()) < 4.2 for t in tokens)
    ):
        return "person"
    return "other"


def acronym_definitions(text: str) -> list[tuple[str, str, int]]:
    """``(long form, acronym, start)`` for "Long Form (LF)" whose initials match."""
    out = []
    for m in _ACRONYM_DEF.finditer(text):
        long_words = m.group("long").split()
        short = m.group("short")
        letters = [c for c in short if c.isupper()]
        # take the shortest tail of the long form whose capitalised initials match
        for i in range(len(long_words)):
            tail = long_words[i:]
            caps = [w[0] for w in tail if w[0].isupper()]
            if caps == letters or (
                len(caps) >= 2
                and "".join(caps).startswith("".join(letters))
                and len(caps) - len(letters) <= 1
                and caps[: len(letters)] == letters
            ):
                while tail and not tail[0][:1].isupper():
                    tail = tail[1:]
                if tail and tail[0] == "The":
                    tail = tail[1:]
                if not tail:
                    break
                long_form = " ".join(tail)
                out.append((long_form, short, m.start("long") + m.group("long").find(long_form)))
                break
    return out


# --------------------------------------------------------------------------- argument markers

ARGUMENT_MARKERS: dict[str, re.Pattern[str]] = {
    "cause": re.compile(
        r"\b(?:because|due to|driven by|owing to|in response to|as a consequence of|stems? from|"
        r"thanks to)\b", re.IGNORECASE),
    "result": re.compile(
        r"\b(?:as a result|therefore|thus|consequently|hence|led to|leading to|has led|have led|"
        r"pushed|resulted in)\b", re.IGNORECASE),
    "contrast": re.compile(
        r"\b(?:however|whereas|although|though|nevertheless|nonetheless|but|yet|despite|"
        r"by contrast|in contrast|on the other hand|while|unlike)\b", re.IGNORECASE),
    "emphasis": re.compile(
        r"\b(?:key|main|principal|central|primary|most important|crucial|critical|above all|"
        r"one of the most|the largest|the first time|the only|fundamental|existential)\b",
        re.IGNORECASE),
    "recommendation": re.compile(
        r"\b(?:should|must|ought to|needs? to|has to|have to|recommends?|could [\w\s]{3,60} by)\b",
        re.IGNORECASE),
    "prediction": re.compile(
        r"\b(?:will|is likely|are likely|unlikely|is expected|are expected|may well|inevitably)\b",
        re.IGNORECASE),
    "definition": re.compile(r"\b(?:known as|dubbed|called|refers to|defined as|termed)\b",
                             re.IGNORECASE),
}  # fmt: skip

HEDGES = re.compile(
    r"\b(?:may|might|perhaps|arguably|reportedly|possibly|appears? to|seems? to)\b", re.IGNORECASE
)


def argument_markers(text: str) -> list[str]:
    """Which argument markers the sentence carries, in a fixed order."""
    return [name for name, pat in ARGUMENT_MARKERS.items() if pat.search(text)]


def starts_vague(text: str) -> bool:
    """Whether the sentence opens with a pronoun or vague subject needing earlier context."""
    if re.match(
        r"[“\"‘(]*(?:the\s+)?(?:former|latter|same|above|following|other)\b", text, re.IGNORECASE
    ):
        return True
    first = re.match(r"[“\"‘(]*([A-Za-z’']+)", text)
    if not first:
        return False
    return first.group(1).lower() in PRONOUN_STARTS
