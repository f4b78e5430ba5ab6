"""Typed answers as a grader sees them: normalised text, quantities, words and parts.

``normalize`` is the text compared for an exact match. ``analyse`` breaks an
answer into what the grader compares: quantities ("$400 billion" and "US$0.4
trillion" are one value), alphanumeric codes ("S-400"), content words (lightly
stemmed, filler words dropped), the parts of a list ("India and Pakistan"),
qualifiers ("over", "under"), negation and hedging ("2014 or 2015").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_ANSWER_CHARS = 1000
"""Longer responses are cut to this many characters before they are compared."""

_QUOTES = "‘’‚‛′`´‹›"
_DOUBLE_QUOTES = "“”„‟″«»"
_DASHES = "‐‑‒–—―−﹘﹣－"
_PUNCT_TABLE = str.maketrans(
    {
        **dict.fromkeys(_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
    }
)
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.,;:!?…]+$")
_SURROUNDING_QUOTES = re.compile(r"""^(["'])(.*)\1$""", re.DOTALL)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)")


def _clean(text: str) -> str:
    """NFKC, no control characters, casefolded, no diacritics, one kind of quote and dash."""
    s = unicodedata.normalize("NFKC", text)
    s = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in s
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
    )
    s = s.translate(_PUNCT_TABLE).casefold()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = unicodedata.normalize("NFKC", s).translate(_PUNCT_TABLE)
    s = _SPACES.sub(" ", s).strip()
    while True:
        trimmed = _TRAILING.sub("", s).strip()
        m = _SURROUNDING_QUOTES.match(trimmed)
        if m:
            trimmed = m.group(2).strip()
        if trimmed == s:
            return s
        s = trimmed


def normalize(text: str) -> str:
    """The answer as compared for an exact match.

    Unicode NFKC, control characters removed, casefolded, diacritics stripped,
    quotes and dashes unified, spaces collapsed, trailing punctuation and
    surrounding quotes stripped, leading articles dropped. Idempotent.
    """
    s = _clean(text[: MAX_ANSWER_CHARS * 2])
    for _ in range(8):
        t = _clean(_LEADING_ARTICLE.sub("", s))
        if t == s:
            break
        s = t
    return s


# --------------------------------------------------------------------- quantities

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}  # fmt: skip
_SCALES = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "mio": 1e6,
    "billion": 1e9, "b": 1e9, "bn": 1e9, "bln": 1e9,
    "trillion": 1e12, "t": 1e12, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
_WORD_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FRACTIONS = {
    "half": 0.5,
    "halves": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
}
_CURRENCY_SYMBOLS: dict[str, str | None] = {
    "$": "usd",
    "€": "eur",
    "£": "gbp",
    "¥": None,  # yen or yuan: agrees with either
    "₽": "rub",
}
_CURRENCY_WORDS = {
    "usd": "usd", "dollar": "usd", "dollars": "usd", "eur": "eur", "euro": "eur", "euros": "eur",
    "gbp": "gbp", "pound": "gbp", "pounds": "gbp", "sterling": "gbp", "cny": "cny", "rmb": "cny",
    "yuan": "cny", "renminbi": "cny", "rub": "rub", "ruble": "rub", "rubles": "rub",
    "rouble": "rub", "roubles": "rub", "yen": "jpy", "jpy": "jpy",
}  # fmt: skip
_MULTIPLIERS = {
    "twice": 2, "thrice": 3, "doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4,
}  # fmt: skip
_DECADE_WORDS = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
_PERCENT_WORDS = {"percent", "pct", "percentage"}

# kinds compared as one class: a year is a number; a percentage is a proportion
_KIND_CLASS = {
    "number": "n", "year": "n", "ordinal": "n", "percent": "p", "fraction": "p",
    "times": "x", "decade": "d",
}  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    """A number found in an answer, in base units.

    Percentages and fractions are proportions (``25%`` and ``a quarter`` are
    0.25); ``mantissa`` is the number as written before any scale word (400
    in ``$400 billion``, 25 in ``25%``).
    """

    value: float
    kind: str  # number | year | ordinal | percent | fraction | times | decade
    mantissa: float
    scale: float = 1.0
    currency: str | None = None

    @property
    def kind_class(self) -> str:
        return _KIND_CLASS[self.kind]

    @property
    def token(self) -> str:
        """A canonical word standing for this quantity in compared text."""
        return f"#{self.kind_class}{self.value:.12g}"

    def same_as(self, other: Quantity) -> bool:
        """The same amount of the same kind of thing (currencies may be left out)."""
        if {self.kind, other.kind} == {"fraction", "percent"}:
            # "two thirds" is 66% or 67%
            return abs(self.value - other.value) < 0.01
        if self.kind_class != other.kind_class:
            return False
        if not _close(self.value, other.value):
            # "the sixties" / "60s" for "1960s"
            if self.kind != "decade" or other.kind != "decade":
                return False
            low, high = sorted((self.value, other.value))
            if not (low < 100 <= high and high % 100 == low):
                return False
        return not (self.currency and other.currency and self.currency != other.currency)

    def loosely_same_as(self, other: Quantity) -> bool:
        """The same number written without its unit or scale ("107" for "$107 billion")."""
        if self.currency and other.currency and self.currency != other.currency:
            return False
        if self.kind_class == other.kind_class:
            # one side has a scale word, the other none, mantissas agree
            return (self.scale == 1.0) != (other.scale == 1.0) and _close(
                self.mantissa, other.mantissa
            )
        bare = {self.kind_class, other.kind_class} & {"n"}
        return bool(bare) and (
            _close(self.mantissa, other.mantissa) or _close(self.value, other.value)
        )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# ------------------------------------------------------------------- tokenising

_TOKEN = re.compile(
    r"""
    (?P<code>(?<![a-z0-9])[a-z]{1,3}-?\d+[a-z]{0,3}(?![a-z0-9]))
  | (?P<num>\d+(?:\.\d+)?e[+-]?\d+(?![a-z\d])|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)
          |\d{1,3}(?:\ \d{3})+(?![\d.,])|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?|\.\d+)
  | (?P<word>[a-z]+)
  | (?P<sym>[$€£¥₽%/<>~+-])
    """,
    re.VERBOSE,
)
_NOT_CODE_PREFIXES = {
    "mid", "pre", "in", "by", "to", "of", "and", "or", "the", "ca", "c", "a", "an", "at",
    "on", "us", "usd", "eur", "gbp", "rmb", "cny", "rub", "jpy", "x", "no", "nr", "for", "fy", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
    "nov", "dec",
}  # fmt: skip
_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_ACRONYM_DOTS = re.compile(r"(?<![a-z0-9])((?:[a-z]\.){2,}[a-z]?)(?![a-z0-9])")
_CONTRACTIONS = (("can't", "can not"), ("won't", "will not"), ("n't", " not"))

_ALIASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"\bus ?\$", "$"),
        (r"\bu ?s ?d\b", "usd"),
        (r"\bunited states of america\b", "united states"),
        (r"(?<![\w-])(?:usa|us)(?![\w-])", "united states"),
        (r"(?<![\w-])(?:uk|great britain|britain)(?![\w-])", "united kingdom"),
        (r"(?<![\w-])un(?![\w-])", "united nations"),
        (r"(?<![\w-])eu(?![\w-])", "european union"),
        (r"(?<![\w-])ussr(?![\w-])", "soviet union"),
        (r"(?<![\w-])(?:prc|peoples republic of china)(?![\w-])", "china"),
        (r"\brussian federation\b", "russia"),
        (r"\bper cent\b", "percent"),
        (r"\bmt\b", "mount"),
        (r"\bst\b", "saint"),
        (r"\bkm2\b", "square kilometer"),
        (r"\bm2\b", "square meter"),
        (r"\bkms?\b", "kilometer"),
        (r"\bkgs?\b", "kilogram"),
        (r"\bcm\b", "centimeter"),
        (r"\bmm\b", "millimeter"),
        (r"\bsq\b", "square"),
        (r"\bmph\b", "miles per hour"),
        (r"\b(kilo|centi|milli)?metres?\b", r"\1meter"),
        (r"\blitres?\b", "liter"),
        (r"\bjan\b", "january"),
        (r"\bfeb\b", "february"),
        (r"\bapr\b", "april"),
        (r"\bjun\b", "june"),
        (r"\bjul\b", "july"),
        (r"\baug\b", "august"),
        (r"\bsept?\b", "september"),
        (r"\boct\b", "october"),
        (r"\bnov\b", "november"),
        (r"\bdec\b", "december"),
    ]
]

ARTICLES = frozenset({"a", "an", "the"})
FILLERS = frozenset(
    {
        "a", "an", "the", "and", "of", "in", "on", "at", "to", "for", "by", "with", "from",
        "as", "its", "it", "their", "his", "her", "is", "was", "are", "were", "be", "been",
        "being", "that", "this", "which", "has", "have", "had", "do", "does", "did",
        "because", "since", "than", "so", "then", "there", "also", "just", "mr", "mrs", "ms",
        "dr", "prof", "sir", "president", "either", "both", "year", "per",
    }
)  # fmt: skip
QUALIFIERS = {
    "over": "up", "above": "up", "more": "up", "exceeding": "up", "greater": "up",
    "upwards": "up", "least": "up", "plus": "up",
    "under": "down", "below": "down", "less": "down", "fewer": "down", "nearly": "down",
    "almost": "down", "lower": "down",
    "about": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
    "some": "approx", "circa": "approx", "ca": "approx", "approx": "approx",
    "approximate": "approx", "estimated": "approx",
}  # fmt: skip
GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr"}
NEGATIONS = frozenset({"not", "no", "non", "never", "without", "anti", "neither", "nor"})
_CONJUNCTIONS = frozenset({"and", "or", "nor", ",", ";", "/", "+"})
_HEDGES = frozenset({"or", "/"})
_SYMBOL_WORDS = {">": "over", "<": "under", "~": "about", "+": "and"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # num | word | sym | code | conj
    text: str
    start: int
    end: int


def _prepare(text: str) -> str:
    """Cleaned text with aliases, contractions and acronym dots resolved."""
    s = _clean(text[:MAX_ANSWER_CHARS])
    for a, b in _CONTRACTIONS:
        s = s.replace(a, b)
    s = re.sub(r"'s\b", "", s).replace("'", "").replace('"', " ")
    s = s.replace("&", " and ")
    s = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), s)
    for pat, rep in _ALIASES:
        s = pat.sub(rep, s)
    return s


def _tokens(s: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(s):
        kind = m.lastgroup or "sym"
        text = m.group()
        if kind == "code":
            letters = re.match(r"[a-z]+", text)
            assert letters is not None
            if letters.group() in _NOT_CODE_PREFIXES or letters.group() in _SCALES:
                # "mid-2019", "us$400", "k2"? -> split into its word and number
                rest = text[letters.end() :].lstrip("-")
                out.append(_Tok("word", letters.group(), m.start(), m.start() + letters.end()))
                for sub in _TOKEN.finditer(rest):
                    off = m.end() - len(rest)
                    out.append(
                        _Tok(
                            sub.lastgroup or "sym", sub.group(), off + sub.start(), off + sub.end()
                        )
                    )
                continue
        elif kind == "word" and text.endswith("fold") and len(text) > 4:
            head = text[:-4]
            if head in _UNITS or head in _TENS:
                out.append(_Tok("word", head, m.start(), m.start() + len(head)))
                out.append(_Tok("word", "fold", m.start() + len(head), m.end()))
                continue
        out.append(_Tok(kind, text, m.start(), m.end()))
        # keep the position of commas, semicolons and slashes for list parts
    return _with_separators(s, out)


def _with_separators(s: str, toks: list[_Tok]) -> list[_Tok]:
    """Insert ``conj`` tokens for commas and semicolons between tokens."""
    out: list[_Tok] = []
    prev_end = 0
    for t in toks:
        gap = s[prev_end : t.start]
        if ("," in gap or ";" in gap) and out:
            out.append(_Tok("conj", ",", prev_end, t.start))
        out.append(t)
        prev_end = t.end
    return out


def _num_value(text: str) -> float:
    if _DOT_THOUSANDS.match(text) and (text.count(".") > 1 or text.endswith(".000")):
        text = text.replace(".", "")
    if re.fullmatch(r"\d+,\d{1,2}", text):  # a decimal comma: "3,14"
        return float(text.replace(",", "."))
    return float(text.replace(",", "").replace(" ", ""))


def _word_number(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """A number spelt in words starting at ``toks[i]``: (value, tokens used)."""
    total = 0.0
    current = 0.0
    j = i
    seen = False
    while j < len(toks) and toks[j].kind in ("word", "sym"):
        w = toks[j].text
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred" and (seen or (j > i and toks[j - 1].text == "a")):
            current = (current or 1) * 100
        elif w in _WORD_SCALES and seen and total == 0 and _peek_number_word(toks, j + 1):
            total += (current or 1) * _WORD_SCALES[w]
            current = 0.0
        elif w == "dozen" and (seen or (j > i and toks[j - 1].text == "a")):
            current = (current or 1) * 12
        elif not _connects_number_words(toks, j, seen):
            break
        if w not in ("and", "-", "a"):
            seen = True
        j += 1
    if not seen:
        return None
    return total + current, j - i


def _connects_number_words(toks: list[_Tok], j: int, seen: bool) -> bool:
    """``toks[j]`` joins number words: "hundred and seven", "twenty-five", "a hundred"."""
    w = toks[j].text
    if w in ("and", "-"):
        return seen and _peek_number_word(toks, j + 1)
    return w == "a" and not seen and j + 1 < len(toks) and toks[j + 1].text in ("hundred", "dozen")


def _peek_number_word(toks: list[_Tok], j: int) -> bool:
    return j < len(toks) and (
        toks[j].text in _UNITS or toks[j].text in _TENS or toks[j].text == "hundred"
    )


@dataclass
class _Parsed:
    quantities: list[Quantity]
    words: list[_Tok]  # every non-quantity token, in order (words, codes, conj, syms)


def _parse(toks: list[_Tok]) -> _Parsed:
    quantities: list[Quantity] = []
    rest: list[_Tok] = []
    i = 0
    n = len(toks)

    def text_at(k: int) -> str:
        return toks[k].text if 0 <= k < n else ""

    while i < n:
        t = toks[i]
        start = i
        currency: str | None = None
        # leading currency: "$", "usd 107", "eur"
        if (
            t.kind == "sym"
            and t.text in _CURRENCY_SYMBOLS
            and i + 1 < n
            and toks[i + 1].kind == "num"
        ):
            currency = _CURRENCY_SYMBOLS[t.text]
            i += 1
        elif (
            t.kind == "word"
            and t.text in ("usd", "eur", "gbp", "rmb", "cny", "rub", "jpy")
            and i + 1 < n
            and toks[i + 1].kind == "num"
        ):
            currency = _CURRENCY_WORDS[t.text]
            i += 1
        t = toks[i]
        negative = False
        if (
            t.kind == "sym"
            and t.text == "-"
            and i + 1 < n
            and toks[i + 1].kind == "num"
            and toks[i + 1].start == t.end
            and (i == 0 or toks[i - 1].kind not in ("num",))
            and (i == 0 or toks[i - 1].end < t.start)
        ):
            negative = True
            i += 1
            t = toks[i]

        mantissa: float | None = None
        kind = "number"
        is_digits = False
        if t.kind == "num":
            mantissa = _num_value(t.text)
            is_digits = True
            i += 1
            # "1/4"
            if (
                text_at(i) == "/"
                and i + 1 < n
                and toks[i + 1].kind == "num"
                and text_at(i + 2) != "/"
                and "." not in t.text
                and "." not in toks[i + 1].text
            ):
                den = _num_value(toks[i + 1].text)
                if 1 < den <= 100 and 0 < mantissa < den:
                    mantissa = mantissa / den
                    kind = "fraction"
                    i += 2
        elif t.kind == "word" and t.text in _DECADE_WORDS:
            v = float(_DECADE_WORDS[t.text])
            quantities.append(Quantity(v, "decade", v))
            i += 1
            continue
        elif t.kind == "word" and t.text in _MULTIPLIERS:
            quantities.append(Quantity(_MULTIPLIERS[t.text], "times", _MULTIPLIERS[t.text]))
            i += 1
            continue
        elif t.kind == "word" and t.text in _ORDINALS:
            v = float(_ORDINALS[t.text])
            # "a third" / "two thirds" are fractions, handled below; "third" alone is an ordinal
            quantities.append(Quantity(v, "ordinal", v))
            i += 1
            continue
        elif t.kind == "word" and t.text in _FRACTIONS and t.text not in ("third", "thirds"):
            v = _FRACTIONS[t.text]
            quantities.append(Quantity(v, "fraction", v))
            i += 1
            continue
        elif t.kind == "word" and t.text == "a" and text_at(i + 1) in _FRACTIONS:
            v = _FRACTIONS[text_at(i + 1)]
            quantities.append(Quantity(v, "fraction", v))
            i += 2
            continue
        else:
            wn = _word_number(toks, i)
            if wn is not None:
                mantissa, used = wn
                i += used
            else:
                if currency is not None:
                    rest.extend(toks[start:i])
                    continue
                rest.append(toks[i])
                i += 1
                continue

        assert mantissa is not None
        if negative:
            mantissa = -mantissa
        # number words followed by a fraction: "two thirds", "one quarter"
        if text_at(i) == "and" and text_at(i + 1) == "a" and text_at(i + 2) == "half":
            mantissa += 0.5
            i += 3
        hyphen = 1 if text_at(i) == "-" else 0
        if kind == "number" and text_at(i + hyphen) in _FRACTIONS:
            v = mantissa * _FRACTIONS[text_at(i + hyphen)]
            quantities.append(Quantity(v, "fraction", v))
            i += 1 + hyphen
            continue
        scale = 1.0
        nxt = text_at(i)
        if nxt in _SCALES and not (nxt in ("m", "b", "t", "k") and not is_digits):
            scale = _SCALES[nxt]
            i += 1
        elif nxt in _WORD_SCALES:
            scale = _WORD_SCALES[nxt]
            i += 1
        nxt = text_at(i)
        value = mantissa * scale
        if nxt == "%" or nxt in _PERCENT_WORDS:
            kind = "percent"
            value = value / 100.0
            i += 1
            if text_at(i) in ("points", "point"):
                i += 1
        elif nxt in ("times", "fold", "x") or (nxt == "-" and text_at(i + 1) == "fold"):
            kind = "times"
            i += 2 if nxt == "-" else 1
        elif nxt in ("st", "nd", "rd", "th") and is_digits and float(mantissa).is_integer():
            kind = "ordinal"
            i += 1
        elif nxt == "s" and is_digits and scale == 1.0 and mantissa % 10 == 0 and mantissa >= 10:
            kind = "decade"
            i += 1
        elif (
            kind == "number"
            and is_digits
            and scale == 1.0
            and currency is None
            and re.fullmatch(r"\d{4}", t.text)
            and 1000 <= mantissa <= 2100
        ):
            kind = "year"
        # trailing currency: "400 billion dollars", "107 bn usd", "25 billion us dollars"
        j = i
        if (
            text_at(j) == "united"
            and text_at(j + 1) == "states"
            and text_at(j + 2) in ("dollar", "dollars")
        ):
            j += 2
        if text_at(j) in _CURRENCY_WORDS and kind in ("number", "year"):
            cur = _CURRENCY_WORDS[text_at(j)]
            if currency is None or currency == cur:
                currency = cur
                i = j + 1
                if kind == "year":
                    kind = "number"
        if currency is not None and kind == "year":
            kind = "number"
        quantities.append(Quantity(value, kind, mantissa, scale, currency))
    return _Parsed(quantities, rest)


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``: "$2bn", "1.5 million", "25%", "eightfold", "1960s"."""
    return list(analyse(text).quantities)


# ------------------------------------------------------------------- analysis


def stem(word: str) -> str:
    """A light stem so plurals match: "sanctions" -> "sanction", "countries" -> "country"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _code_key(text: str) -> str:
    key = text.replace("-", "")
    if len(key) > 1 and key.endswith("s") and key[-2].isdigit():
        key = key[:-1]
    return key


@dataclass(frozen=True)
class Analysis:
    """An answer broken into what a grader compares."""

    text: str
    normalized: str
    quantities: tuple[Quantity, ...]
    words: tuple[str, ...]  # content words (stemmed) and codes, in order
    codes: frozenset[str]  # alphanumeric identifiers among ``words`` ("s400")
    parts: tuple[tuple[str, ...], ...]  # content words of each list item
    listed: bool  # the parts are a list ("x and y", "x, y, z"), not "Paris, France"
    qualifiers: frozenset[str]  # "up", "down", "approx"
    negated: bool
    hedged: bool  # "x or y", "x/y"
    generation: frozenset[str]  # "jr" / "sr" after a name
    compact: str  # every token but articles, as typed, no spaces
    spelled: str  # every letter and digit, nothing else ("theamurriver")
    initials: frozenset[str]  # acronyms the answer's words spell ("bri", "bari")
    raw_words: tuple[str, ...]  # alphabetic tokens as typed (for acronyms)
    name_surname: str | None  # last word of a 2-3 word capitalised name ("Putin")
    family_first: bool  # a name written family name first ("Xi Jinping"): a person's

    @property
    def key(self) -> str:
        return " ".join([*self.words, *(q.token for q in self.quantities)])

    @property
    def sorted_key(self) -> str:
        return " ".join(sorted([*self.words, *(q.token for q in self.quantities)]))


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysis:
    """Break an answer into quantities, content words, list parts and flags."""
    text = text[:MAX_ANSWER_CHARS]
    prepared = _prepare(text)
    toks = _tokens(prepared)
    raw_words = tuple(t.text for t in toks if t.kind == "word")
    parsed = _parse(toks)

    words: list[str] = []
    codes: set[str] = set()
    parts: list[list[str]] = [[]]
    qualifiers: set[str] = set()
    negated = False
    hedged = False
    generation: set[str] = set()
    joined_by_words = False
    for t in parsed.words:
        w = t.text
        if t.kind == "conj" or (t.kind in ("word", "sym") and w in _CONJUNCTIONS):
            if w in _HEDGES:
                hedged = True
            if w != ",":
                joined_by_words = True
            if parts[-1]:
                parts.append([])
            continue
        if t.kind == "sym":
            if w in _SYMBOL_WORDS:
                qualifiers.add(QUALIFIERS.get(_SYMBOL_WORDS[w], "approx"))
            continue
        if t.kind == "num":  # a stray number the parser left (should not happen)
            continue
        if t.kind == "code":
            key = _code_key(w)
            codes.add(key)
            words.append(key)
            parts[-1].append(key)
            continue
        if w in NEGATIONS:
            negated = True
            continue
        if w in GENERATIONS:
            generation.add(GENERATIONS[w])
            continue
        if w in QUALIFIERS:
            qualifiers.add(QUALIFIERS[w])
            continue
        if w in FILLERS or w in ("times", "fold"):
            continue
        sw = stem(w)
        words.append(sw)
        parts[-1].append(sw)
    if parts and not parts[-1]:
        parts.pop()

    compact_toks: list[str] = []
    for t in toks:
        if t.kind in ("word", "code", "num") and t.text not in ARTICLES:
            compact_toks.append(_code_key(t.text) if t.kind == "code" else t.text)
    compact = "".join(compact_toks)
    spelled = "".join(re.findall(r"[a-z0-9]+", prepared))

    alpha = list(raw_words)
    initials: set[str] = set()
    if len(alpha) >= 2 and not any(c.isdigit() for c in prepared):
        initials.add("".join(w[0] for w in alpha))
        content = [w for w in alpha if w not in FILLERS]
        if len(content) >= 2:
            initials.add("".join(w[0] for w in content))

    return Analysis(
        text=text,
        normalized=normalize(text),
        quantities=tuple(parsed.quantities),
        words=tuple(words),
        codes=frozenset(codes),
        parts=tuple(tuple(p) for p in parts),
        listed=len(parts) >= 3 or (len(parts) == 2 and joined_by_words),
        qualifiers=frozenset(qualifiers),
        negated=negated,
        hedged=hedged,
        generation=frozenset(generation),
        compact=compact,
        spelled=spelled,
        initials=frozenset(initials),
        raw_words=raw_words,
        name_surname=_surname(text),
        family_first=_family_first(text),
    )


_NAME_WORD = re.compile(r"^[A-Z][a-z'’.-]+$|^[A-Z][a-z]*[A-Z][a-z]+$")

# Family names written first: common Chinese (pinyin) and Korean surnames ('hong' is left
# out: 'Hong Kong' would read as a person). A name counts
# as family-name-first only when its other words are a pinyin given name ("Jinping",
# "Zedong", "Yi") or a Korean hyphenated or two-part given name ("Jong-un", "Jae-in",
# "Jong Un"): "Kim Kardashian" and "Jack Ma" keep their last word as the surname.
FAMILY_FIRST = frozenset(
    ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "yao", "shen", "zhong", "cui", "tan", "fan", "liao", "shi", "jin", "jia", "xia", "fu", "fang", "zou", "xiong", "bai", "meng", "qin", "qiu", "hou", "yin", "xue", "yan", "duan", "lei", "long", "shao", "qian", "tao", "mao", "hao", "gu", "gong", "kong", "xi", "wen", "hua", "bo", "kang", "chang", "lai", "wan", "qi", "mo", "zhan", "geng", "qiao", "niu", "yue", "zhai", "kou", "ge", "ni", "rao", "chai", "zuo", "tong", "nie", "pu", "gan", "guan", "shang", "lou", "jiao", "bian", "lan", "bao", "mi", "zang", "ji", "ai", "kim", "park", "lee", "yi", "choi", "jung", "chung", "kang", "cho", "yoon", "jang", "lim", "moon", "roh", "ahn"]
)  # fmt: skip
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu"
    r"|ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_PINYIN_NAME = re.compile(rf"^(?:{_PINYIN_SYLLABLE}){{1,2}}$")
_KOREAN_GIVEN = re.compile(r"^[a-z]{2,5}-[a-z]{1,5}$")


def family_name_first(words: list[str]) -> bool:
    """Whether a 2-3 word name is written family name first ("Xi Jinping", "Kim Jong-un")."""
    if not 2 <= len(words) <= 3:
        return False
    low = [w.lower().replace("’", "'").replace("'", "") for w in words]
    if low[0] not in FAMILY_FIRST:
        return False
    given = low[1:]
    if len(given) == 1 and _KOREAN_GIVEN.match(given[0]):
        return True
    return all(_PINYIN_NAME.match(g) for g in given) and (len(given) == 2 or len(given[0]) >= 2)


def _name_words(text: str) -> list[str] | None:
    raw = unicodedata.normalize("NFKC", text).strip().split()
    if not 2 <= len(raw) <= 3:
        return None
    stripped = [unicodedata.normalize("NFKD", w) for w in raw]
    stripped = ["".join(c for c in w if not unicodedata.combining(c)) for w in stripped]
    return stripped if all(_NAME_WORD.match(w) for w in stripped) else None


def _family_first(text: str) -> bool:
    words = _name_words(text)
    return words is not None and family_name_first(words)


def _surname(text: str) -> str | None:
    """The surname of a person-like name of 2-3 capitalised words, stemmed: the last word,
    or the first for a family-name-first name ("Xi Jinping" -> "xi")."""
    raw = unicodedata.normalize("NFKC", text).strip().split()
    if not 2 <= len(raw) <= 3:
        return None
    stripped = [unicodedata.normalize("NFKD", w) for w in raw]
    stripped = ["".join(c for c in w if not unicodedata.combining(c)) for w in stripped]
    if not all(_NAME_WORD.match(w) for w in stripped):
        return None
    pick = stripped[0] if family_name_first(stripped) else stripped[-1]
    last = _clean(pick).replace("'", "")
    if last in FILLERS:
        return None
    return stem(last)
