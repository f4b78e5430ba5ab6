"""Other ways a learner may type an answer: acronym and full name, surname, family name.

Typed cards are graded against these accepted answers, so they must hold the common
short forms ("the SCO" for "Shanghai Cooperation Organization", "Putin" for "Vladimir
Putin", "Xi" — never "Jinping" — for "Xi Jinping").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quiz.generate.candidates import ORG_WORDS, TITLES, acronym_definitions, is_country

# Common Chinese family names (pinyin) and Korean ones: such names are written family
# name first ("Xi Jinping", "Kim Jong-un"), so the name to accept alone is the first.
FAMILY_NAME_FIRST = frozenset(
    [
        "Wang",
        "Li",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "He",
        "Lin",
        "Gao",
        "Luo",
        "Zheng",
        "Liang",
        "Xie",
        "Song",
        "Tang",
        "Han",
        "Feng",
        "Deng",
        "Cao",
        "Peng",
        "Zeng",
        "Xiao",
        "Tian",
        "Dong",
        "Pan",
        "Yuan",
        "Cai",
        "Jiang",
        "Yu",
        "Du",
        "Ye",
        "Cheng",
        "Wei",
        "Su",
        "Lu",
        "Ding",
        "Ren",
        "Shen",
        "Yao",
        "Jin",
        "Fu",
        "Zhong",
        "Cui",
        "Tan",
        "Liao",
        "Fan",
        "Qian",
        "Dai",
        "Mao",
        "Qin",
        "Xi",
        "Geng",
        "Bo",
        "Kong",
        "Shi",
        "Hou",
        "Meng",
        "Duan",
        "Lei",
        "Qiu",
        "Xiong",
        "Bai",
        "Hao",
        "Shao",
        "Zou",
        "Wen",
        "Zhu",
        "Chiang",
        "Lee",
        "Kim",
        "Park",
        "Choi",
        "Jung",
        "Kang",
        "Cho",
        "Yoon",
        "Jang",
        "Lim",
        "Moon",
        "Roh",
        "Chun",
    ]
)


def acronym_map(sentences: Iterable[str]) -> dict[str, str]:
    """Acronym <-> long form, both ways, as the report defines them ("Long Form (LF)")."""
    out: dict[str, str] = {}
    for text in sentences:
        for long_form, short, _ in acronym_definitions(text):
            if len(long_form.split()) >= 2:
                out.setdefault(short, long_form)
                out.setdefault(long_form, short)
    return out


def person_forms(name: str) -> list[str]:
    """A person's name as a learner may type it: the family name alone (first for a Chinese
    or Korean name, last otherwise), without titles."""
    tokens = [
        t.rstrip(",") for t in name.split() if t not in TITLES and t.rstrip(".") not in TITLES
    ]
    tokens = [t for t in tokens if t.lower() != "the"]
    if not tokens:
        return []
    out = []
    if " ".join(tokens) != name.replace(",", ""):
        out.append(" ".join(tokens))
    if len(tokens) >= 2:
        suffix = re.fullmatch(r"(?:Jr|Sr|II|III|IV)\.?", tokens[-1])
        core = tokens[:-1] if suffix else tokens
        family = core[0] if core[0] in FAMILY_NAME_FIRST and len(core) <= 3 else core[-1]
        out.append(family)
    return out


def name_forms(name: str, acronyms: dict[str, str], person: bool = False) -> list[str]:
    """Accepted forms of a name: with "the", its acronym or long form, a person's surname."""
    out: list[str] = []
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    if bare != name:
        out.append(bare)
    other = acronyms.get(bare)
    if other:
        out += [other, f"the {other}"]
    if person:
        out += person_forms(bare)
    elif len(bare.split()) >= 2 and not is_country(bare):
        out.append("the " + bare)
    elif bare.isupper() and len(bare) >= 2 and not is_country(bare):
        out.append("the " + bare)  # "the SCO"
    if any(t in ORG_WORDS for t in bare.split()) and bare.startswith("U.S. "):
        out.append(bare[5:])
    return [a for a in dict.fromkeys(out) if a and a.casefold() != name.casefold()]
