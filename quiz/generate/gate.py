"""Reject cards that are wrong, dangling or duplicated before they reach a deck."""

from __future__ import annotations

import re

from quiz.deck.model import format_number
from quiz.generate.candidates import STOPWORDS
from quiz.generate.clean import word_zipf
from quiz.generate.draft import Draft
from quiz.generate.phrasing import balanced
from quiz.ingest.debris import Debris, first_debris

_WS = re.compile(r"\s+")
_DANGLING = re.compile(
    r"^(?:this|that|it|they|these|those|he|she|its|their)\b.*\b(?:because|due to)\s+____",
    re.IGNORECASE,
)
_VAGUE_SUBJECT = re.compile(
    r"^[“\"‘(]*(?!it\s+is\s+(?:not\s+)?(?:un)?(?:likely|clear|possible|important|difficult|certain)\b)"
    r"(?:this|that|it|they|these|those|such)\s+(?:is|was|are|were|has|have|had|will|"
    r"would|could|can|may|might|must|should|remains?|seems?|means?|shows?|suggests?|"
    r"includes?|does|did)\b",
    re.IGNORECASE,
)
_VAGUE_OPENER = re.compile(
    r"^(?:given|in view of|in light of|because of|despite|as a result of|under)\s+"
    r"(?:this|that|these|those|such)\b[^,]{0,40},",
    re.IGNORECASE,
)
_DEBRIS = re.compile(r"\(cid:|https?://|www\.|[\x00-\x08\x0b-\x1f\x7f]|\ufffd")


def card_texts(d: Draft) -> list[str]:
    """Every text of a draft a learner sees: prompt, answers, choices, explanation."""
    texts = [d.prompt, d.answer]
    for key in ("answer", "accept", "choices", "explanation", "hint"):
        value = d.fields.get(key)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts += [v for v in value if isinstance(v, str)]
    return texts


def card_debris(d: Draft) -> Debris | None:
    for text in card_texts(d):
        found = first_debris(re.sub(r"\{\{|\}\}|::[^}]*(?=\}\})|\||_{3,}", " ", text))
        if found is not None:
            return found
    return None


_STRUCTURE = re.compile(
    r"\b(?:Volume|Section|Part|Chapter|Appendix|Annex)\s+(?:[IVX]+|\d+)\b(?:\s+of\s+(?:the|this)\s+report)?"
    r"(?=[^?]*\b(?:describ|discuss|detail|address|set[s]? out|explain|cover|present|analy[sz])\w*)"
    r"|\b(?:describ|discuss|detail|analy[sz])\w*\s+in\s+(?:Volume|Section|Part|Chapter|Appendix)\b"
    r"|\bwhat does (?:Volume|Section|Part|Chapter|Appendix)\b"
    r"|^(?:Volume|Section|Part|Chapter|Appendix)\s+(?:[IVX]+|\d+)$"  # the answer is a volume
    r"|^(?:Volume|Chapter|Appendix)\s+[IVX]+\b",  # "Volume II separately states its framework"
    re.IGNORECASE,
)


# "what may A grantee also do?", "what does the report say agencies should do?": an
# indefinite or bare plural subject has many valid answers
_GENERIC_DO = re.compile(
    r"\b(?:what|how)\s+(?:does the report say\s+|did\s+)?(?:(?:may|might|could|can|should|must|will|would)\s+)?"
    r"(?:an?\s+[\w-]+(?:\s+[\w-]+){0,2}|(?:states|agencies|grantees|owners|sponsors|providers|"
    r"municipalities|countries|governments|companies|firms|users|officials|contractors|teams|"
    r"programs|projects|localities|recipients|applicants|beneficiaries|they|it|we|you|one|"
    r"others|some|many)(?:\s+or\s+[a-z]+)?)\s+(?:also\s+)?"
    r"(?:(?:may|might|could|can|should|must|will|would|need to|ought to)\s+)?(?:also\s+)?"
    r"(?:do|allow|require|provide|help|be)\?$",
    re.IGNORECASE,
)
# a clause cut before its end: "what explains why projects that get funded are not always?"
_CUT_QUESTION = re.compile(
    r"\b(?:always|also|not|only|often|still|never|even|just|usually|sometimes|the|a|an|"
    r"and|or|but|be|than|its|their|his|her|these|those)\?$",
    re.IGNORECASE,
)
# a capital left inside a question ("what explains why Foreign investment ...")
_CASE_BROKEN = re.compile(
    r"\b(?:what|why|how|who|whom|when|which|that)\s+(?:\w+\s+){0,4}?"
    r"(?:A|An|The|This|These|Those|Such|Some|Many|Most|Foreign|Domestic)\s+[a-z]"
)


# "What does the report say the United States should do?", "going forward, what could
# the United States do?": the subject and a bare "do"
_BARE_DO = re.compile(
    r"(?:what does the report say|what (?:may|might|could|can|should|must|will|would))\s+"
    r"(?P<subj>[\w’'. -]{3,60}?)\s+(?:also\s+)?(?:(?:may|might|could|can|should|must|will|"
    r"would|need to|needs to|ought to)\s+)?(?:also\s+)?do\?$",
    re.IGNORECASE,
)
_MODALS = r"(?:should|could|must|may|might|can|will|would|needs? to|ought to)"


def bare_do_subject(q: str) -> str | None:
    """The subject of "what should X do?" (nothing more asked), or None."""
    m = _BARE_DO.search(q.strip())
    return m.group("subj") if m else None


def several_for_subject(subject: str, document_squashed: str) -> bool:
    """Whether the report says two or more times what ``subject`` should, could or will
    do: then "what should X do?" has several valid answers."""
    pattern = re.compile(
        rf"\b{re.escape(squash(subject))}\s+(?:\w+\s+)?{_MODALS}\s+(?!not\b|be\b)\w+"
    )
    return sum(1 for _ in zip(range(2), pattern.finditer(document_squashed), strict=False)) >= 2


_FUNCTION_END = frozenset(
    [
        "in",
        "of",
        "to",
        "for",
        "on",
        "at",
        "by",
        "with",
        "within",
        "without",
        "from",
        "outside",
        "inside",
        "into",
        "onto",
        "than",
        "as",
        "about",
        "among",
        "between",
        "unless",
        "otherwise",
        "cannot",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "will",
        "would",
        "shall",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "and",
        "or",
        "but",
        "nor",
        "that",
        "which",
        "who",
        "whose",
        "where",
        "when",
        "while",
        "if",
        "because",
        "although",
        "though",
    ]
)
_ADVERB_START = frozenset(
    [
        "sometimes",
        "later",
        "already",
        "often",
        "still",
        "also",
        "never",
        "always",
        "soon",
        "once",
        "recently",
        "best",
        "well",
        "even",
        "just",
        "much",
        "far",
        "further",
        "largely",
        "mostly",
        "partly",
        "fully",
        "simply",
        "only",
        "very",
        "quite",
        "especially",
        "particularly",
        "generally",
        "usually",
        "typically",
        "increasingly",
    ]
)
_COPULA_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|remains?|remained|seems?|seemed|appears?|become|"
    r"becomes|became|very|more|most|less|least|especially|particularly|quite|so|too|"
    r"extremely|highly|increasingly)\s*[“\"‘]?$",
    re.IGNORECASE,
)
_ADJECTIVE_END = re.compile(r"(?:al|ic|ive|ous|able|ible|ary|ful|less|ant|(?<!m)ent|ular|iar)$")
_NOUNS_LIKE_ADJECTIVES = frozenset(
    [
        "applicant",
        "defendant",
        "participant",
        "consultant",
        "grant",
        "tenant",
        "assistant",
        "claimant",
        "merchant",
        "servant",
        "hospital",
        "capital",
        "proposal",
        "approval",
        "individual",
        "official",
        "material",
        "signal",
        "total",
        "interval",
        "journal",
        "manual",
        "terminal",
        "principal",
        "rival",
        "portal",
        "arrival",
        "referral",
        "denial",
        "trial",
        "withdrawal",
        "removal",
        "renewal",
        "initiative",
        "objective",
        "incentive",
        "executive",
        "representative",
        "directive",
        "narrative",
        "perspective",
        "alternative",
        "public",
        "clinic",
        "topic",
        "traffic",
        "logic",
    ]
)
_PARTICIPLE_EXCEPT = frozenset(
    ["need", "seed", "speed", "feed", "greed", "breed", "creed", "hundred", "kindred", "bed", "red"]
)


def _participle(word: str) -> bool:
    w = word.lower()
    if w in (
        "held",
        "set",
        "done",
        "made",
        "known",
        "taken",
        "given",
        "shown",
        "seen",
        "built",
        "paid",
    ):
        return True
    return len(w) > 4 and w.endswith("ed") and w not in _PARTICIPLE_EXCEPT and not w.endswith("eed")


def gap_not_content(ans: str, before: str, after: str) -> str | None:
    """Why a cloze gap is no content term (a name, a number with its unit, a key noun
    phrase) but a verb phrase, an adverb, a cut phrase or a bare adjective; None if it is."""
    if re.search(r"\d", ans):
        return None
    tokens = re.findall(r"[\w’'-]+", ans)
    if not tokens:
        return None
    first, last = tokens[0].lower(), tokens[-1].lower()
    capitalised = any(t[:1].isupper() for t in tokens)
    if last in _FUNCTION_END:
        return "cloze gap ends on a function word (a cut phrase)"
    quoted = bool(re.search(r"[“\"‘]$", before.rstrip())) and bool(re.match(r"[”\"’]", after))
    if len(tokens) == 1 and not capitalised and word_zipf(first) >= 5.0:
        return "cloze gap is a common word"
    if quoted and not _participle(last):
        return None  # a term the report puts in quotation marks ("least costly alternative")
    if not capitalised and (first in _ADVERB_START or first.endswith("ly")) and len(tokens) > 1:
        return "cloze gap is an adverb phrase"
    if not capitalised and len(tokens) == 1 and first.endswith("ly"):
        return "cloze gap is an adverb"
    if not capitalised and _participle(last):
        return "cloze gap is a verb phrase"
    if not capitalised and len(tokens) > 1 and last.endswith("ing") and re.match(r"\s*to\b", after):
        return "cloze gap ends on a participle ('issues relating' to)"
    if (
        not capitalised
        and _participle(first)
        and re.search(r"\b(?:is|are|was|were|be|been|being|has|have|had)\s*$", before)
    ):
        return "cloze gap is a verb phrase"  # "was ____" = "held responsible"
    nxt = re.match(r"[”\"’]?\s*([A-Za-z][\w’'-]*)", after)
    next_word = nxt.group(1) if nxt else ""
    adjective = (
        not capitalised
        and bool(_ADJECTIVE_END.search(last))
        and last.split("-")[-1] not in _NOUNS_LIKE_ADJECTIVES
    )
    if adjective and next_word[:1].islower() and next_word.lower() not in STOPWORDS:
        return "cloze gap cuts a noun phrase before its noun"
    if adjective and len(tokens) == 1 and _COPULA_BEFORE.search(before):
        return "cloze gap is a predicative adjective"
    return None


# a passage that is no sentence: a heading, a table row, a list of names, a cut line
_SENTENCE_END = re.compile(r"[.!?:;][”\"’)\]]*\s*$|[.!?][”\"’)\]]*\s*\(\w[^()]{0,30}\)[.]?\s*$")
_NAME_LIST = re.compile(r"(?:[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][\w’'-]+,\s+){3,}")
_REPORT_NUMBER = re.compile(r"\(\s*(?:[A-Z]{1,5}-)?\d{2}-\d{2}-\d{3,5}\s*\)[.]?\s*$")
_TABLE_UNITS = re.compile(r"\((?:[Dd]ollars )?in (?:thousands|millions|billions)\)")
_FIGURE_OPENER = re.compile(
    r"^(?:as|like) (?:the|this) (?:figure|table|chart|graph|map) (?:shows|illustrates|indicates)\b"
    r"|^(?:as )?(?:shown|illustrated|depicted) in (?:the )?(?:figure|table|chart)\b",
    re.IGNORECASE,
)
# one case among many: a defendant's sentence, restitution, a price in a scheme
_CASE_PERSON = re.compile(
    r"\b(?:sentenced|sentence of|restitution|imprison\w*|incarcerat\w*|prison|probation|"
    r"fugitive|defendants?|cost them|indicted|convicted|pleaded guilty|pled guilty)\b",
    re.IGNORECASE,
)
_LARGE_AMOUNT = re.compile(r"\b(?:billion|trillion)\b|\b\d{3,}(?:\.\d+)? million\b")


# a prompt that opens on what an earlier sentence named: "The company was ordered to pay",
# "The projects also reported", "The agency also stated" (references.py names what it can)
_REFERENCE_OPENER = re.compile(
    r"^[“\"‘(]*(?:[Tt]he|[Tt]hese|[Tt]hose|[Tt]his|[Tt]hat)\s+(?:[a-z]+\s+)?"
    r"(?:company|companies|firm|physician|defendants?|doctor|pharmacist|podiatrist|"
    r"projects?|program|programs|meeting|area|areas|bill|scheme|"
    r"contractor|provider|supplier|hospital|clinic|state|grantee|effort|efforts)"
    r"(?!\s+(?:of|for|in|that|which|who|[A-Z(]))\b",
)
# an affirmative made from a negation that keeps a word only a negation licenses: "did
# identify evidence that any U.S. persons conspired"
_NEGATIVE_POLARITY = re.compile(r"\b(?:any|anyone|anybody|anything|either|yet|ever|at all)\b")


def passage_reason(d: Draft) -> str | None:
    """Why a draft's passage or prompt makes no card: a heading or table row (no sentence
    end), a list of names, a table's unit line, a figure the learner cannot see."""
    quote = d.quote.strip()
    if not _SENTENCE_END.search(quote):
        return "passage is no sentence (a heading, table row or cut line)"
    if _NAME_LIST.search(quote) or _TABLE_UNITS.search(quote):
        return "passage is a list of names or a table"
    if _REPORT_NUMBER.search(quote):
        return "passage is a citation of another report"
    shown = re.sub(r"^(?:True or false:\s*|According to [^,]{1,60},\s*)", "", d.prompt)
    if _FIGURE_OPENER.search(shown.lstrip("{ ")):
        return "prompt refers to a figure the learner cannot see"
    if (d.kind == "fact" or d.type == "truefalse") and _REFERENCE_OPENER.match(shown.lstrip("{ ")):
        return "prompt opens on a reference to something it does not name"
    if d.type == "truefalse" and re.search(r"\b(?:not|n[’']t|never|no)\b", d.quote):
        negated = re.search(r"\b(?:not|n[’']t|never|no)\b", shown)
        if not negated and _NEGATIVE_POLARITY.search(shown):
            return "statement made affirmative keeps a word that needs a negation ('any')"
    return None


_CHANGE_FROM = re.compile(
    r"\b(?:drop|fell|fall|rose|rise|risen|increas|decreas|grew|grow|declin|jump|climb|went|"
    r"shr[ai]nk|reduc|cut|doubl|tripl|expand|slid|plung|soar)\w*\s+(?:\w+\s+){0,2}?from\b"
)


def case_detail(d: Draft) -> str | None:
    """A number that only belongs to one case among many (a prison term, a restitution,
    what a scheme charged), or one end of a range ("from ____ to $300,000 per day")."""
    if d.kind != "fact" or not re.search(r"\d", d.answer):
        return None
    tally = re.search(r"\b(?:defendants|cases|convictions|matters|investigations)\b", d.answer)
    if _CASE_PERSON.search(d.quote) and not _LARGE_AMOUNT.search(d.answer) and not tally:
        return "trivia: a number from one case among many"
    q = re.sub(r"\{\{.+?\}\}", "____", d.prompt)
    if _CHANGE_FROM.search(q):
        return None  # "dropped from $18 billion in 1996 to $9.5 billion": a change, a finding
    if re.search(
        r"\bfrom (?:how many|what|____)[^.?]{0,40}\bto (?:\$?\d|[A-Z][a-z]+ \d)", q
    ) or re.search(r"\bfrom \$?\d[\d,.]*[^.?]{0,30}\bto (?:how many|what|____)", q):
        return "one end of a range"
    return None


def argument_wording(q: str) -> str | None:
    """Why an argument question reads badly: a generic subject with many valid answers,
    a clause cut before its end, a capital left mid-sentence; None when it reads well."""
    q = q.strip()
    if _GENERIC_DO.search(q):
        return "vague question: generic subject, several valid answers"
    if _CUT_QUESTION.search(q):
        return "question cut before the end of its clause"
    if _CASE_BROKEN.search(q):
        return "question keeps a sentence-initial capital mid-sentence"
    return None


def squash(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def answer_forms(d: Draft) -> list[str]:
    forms = [d.answer]
    ans = d.fields.get("answer")
    if isinstance(ans, float | int) and not isinstance(ans, bool):
        forms += [
            format_number(float(ans)),
            f"{float(ans):,.0f}" if float(ans).is_integer() else "",
        ]
    return [f for f in forms if f]


def stem_given_away(answer: str, prompt: str) -> bool:
    """Whether every content word of a short answer has a word of the same stem in the
    prompt ("North Korean" asked in a prompt saying "North Korea")."""
    words = [w for w in re.findall(r"[A-Za-z]{4,}", answer) if w.lower() not in STOPWORDS]
    if not words or len(words) > 3:
        return False
    rest = {w.lower()[:5] for w in re.findall(r"[A-Za-z]{4,}", prompt)}
    return all(w.lower()[:5] in rest for w in words)


def gate_reason(d: Draft, cleaned_squashed: str) -> str | None:
    """Why a draft fails the gate, or None when it passes."""
    quote = squash(d.quote)
    if not quote or quote not in cleaned_squashed:
        return "quote not found in the cleaned text"
    if not any(squash(f) in quote for f in answer_forms(d)):
        return "answer not in the quoted passage"
    prompt = d.prompt
    if not prompt.strip() or len(prompt.split()) < 4:
        return "prompt too short"
    if _STRUCTURE.search(prompt) or _STRUCTURE.search(d.answer):
        return "about the report's own structure (volumes, sections), not its subject"
    if _DEBRIS.search(prompt) or _DEBRIS.search(str(d.fields.get("answer", ""))):
        return "extraction debris in the card"
    found = card_debris(d)
    if found is not None:
        return f"debris in the card: {found.kind}"
    reason = passage_reason(d) or case_detail(d)
    if reason is not None:
        return reason
    if _DANGLING.search(prompt.replace("{{", "____").split("}}")[-1] if "{{" in prompt else prompt):
        return "dangling prompt"
    if d.type in ("cloze", "truefalse", "mcq") or d.template in ("short", "numeric"):
        head = prompt.replace("{{", "").lstrip()
        if _VAGUE_SUBJECT.match(head) or _VAGUE_OPENER.match(head):
            return "dangling prompt (opens on a reference to an earlier sentence)"
    if d.type == "cloze":
        text = d.fields["text"]
        gaps = re.findall(r"\{\{(.+?)\}\}", text)
        if len(gaps) != 1:
            return "cloze must have one gap"
        ans = gaps[0].split("::")[0].split("|")[0]
        if len(ans.split()) > 5:
            return "cloze gap longer than five words"
        if ans.lower() in STOPWORDS:
            return "cloze gap is a stopword"
        rest = re.sub(r"\{\{.+?\}\}", " ", text)
        if ans.lower() in rest.lower():
            return "cloze answer appears elsewhere in the prompt"
        if stem_given_away(ans, rest):
            return "cloze answer given away by a word of the same stem"
        at = text.find("{{")
        filler = gap_not_content(ans, text[:at], text[text.find("}}", at) + 2 :])
        if filler is not None:
            return filler
    if d.type in ("short", "mcq", "basic", "numeric"):
        q = d.fields["question"]
        if not q.rstrip().endswith(("?", "____", ".")) and "____" not in q:
            return "question is not a question"
        if d.type in ("short", "mcq") and len(d.answer) > 3 and d.answer.lower() in q.lower():
            return "answer given away in the question"
        if re.search(
            r"(?:\b(?:not|does|do|did|is|are|was|were|has|have|can|will)|n[’']t)$", d.answer.strip()
        ):
            return "answer cut after an auxiliary ('The product owner doesn’t')"
        if d.type == "short" and re.fullmatch(
            r"(?:an?|some|any)\s+[a-z][\w-]*", d.answer.strip(), re.I
        ):
            return "answer is a generic noun (an agency, a state)"
        if d.type in ("short", "mcq") and d.kind == "fact" and stem_given_away(d.answer, q):
            return "answer given away in the question (same word stem)"
        if not balanced(q):
            return "unbalanced quotes or brackets in the question"
        if d.kind == "argument":
            wording = argument_wording(q)
            if wording is not None:
                return wording
            subject = bare_do_subject(q)
            if subject is not None and several_for_subject(subject, cleaned_squashed):
                return "vague question: the report says several things this subject should do"
    if d.type == "mcq":
        choices = d.fields["choices"]
        if len(choices) < 3 or len({c.casefold() for c in choices}) != len(choices):
            return "mcq needs three distinct choices"
    if re.search(r"\b(?:what|who) explains why (?:this|that|it|they)\b", prompt, re.IGNORECASE):
        return "dangling prompt"
    return None


def ambiguous_prompts(drafts: list[Draft]) -> set[str]:
    """Questions that drafts of different sentences ask word for word with different
    answers ("What does the report say the United States should do?" asked of three
    recommendations): each has several valid answers. A sentence the report repeats (a
    summary restated in the body) asks one fact twice: not ambiguous."""
    asked: dict[str, list[tuple[int, set[str]]]] = {}
    for d in drafts:
        if d.type not in ("cloze", "truefalse"):
            asked.setdefault(squash(d.prompt), []).append((d.line, _content_words(d.answer)))
    return {
        p
        for p, given in asked.items()
        if any(
            la != lb and _overlap(wa, wb) < 0.5
            for i, (la, wa) in enumerate(given)
            for lb, wb in given[i + 1 :]
        )
    }


def _content_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]{3,}", text.lower()) if w not in STOPWORDS}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else float(a == b)


def repeated_forms(d: Draft) -> list[str]:
    """The forms of a short answer (a term, not a name or number) that another passage
    must not ask again ("color revolutions" clozed from two sentences: the second card is
    learnt from the first). True/false and long argument answers are left alone."""
    if (
        d.type not in ("cloze", "short", "mcq")
        or len(d.answer.split()) > 4
        or re.search(r"\d|\b[A-Z]", d.answer)
    ):
        return []  # names recur as the subject of different facts ("FHWA", "the UNSC")
    accept = d.fields.get("accept")
    forms = [d.answer, *(accept if isinstance(accept, list) else [])]
    return [
        squash(re.sub(r"^the\s+|[“”\"‘’]", "", f, flags=re.I))
        for f in forms
        if isinstance(f, str) and f
    ]


def gate_and_dedupe(
    drafts: list[Draft], cleaned_text: str
) -> tuple[list[Draft], list[tuple[Draft, str]]]:
    """Drafts that pass the gate, one per (answer, passage), and the rejected with reasons."""
    cleaned_squashed = squash(cleaned_text)
    ambiguous = ambiguous_prompts(drafts)
    kept: list[Draft] = []
    rejected: list[tuple[Draft, str]] = []
    seen: dict[tuple[str, str], Draft] = {}
    seen_ids: set[str] = set()
    order = sorted(drafts, key=lambda x: (-x.score, x.quote_start, x.id))
    reasons = [gate_reason(d, cleaned_squashed) for d in order]
    # a term asked from several passages is asked where the report first uses it (where
    # it introduces it; later passages assume it)
    asked: dict[str, str] = {}  # an answer form -> the passage that asks it
    for d in sorted(
        (d for d, r in zip(order, reasons, strict=True) if r is None),
        key=lambda x: (x.quote_start, -x.score),
    ):
        for f in repeated_forms(d):
            asked.setdefault(f, squash(d.quote))
    for d, reason in zip(order, reasons, strict=True):
        if reason is None and squash(d.prompt) in ambiguous:
            reason = "ambiguous question: the same question asks another passage's claim"
        if reason is None:
            key = (squash(d.answer), squash(d.quote))
            pkey = ("prompt", squash(d.prompt))
            if key in seen or d.id in seen_ids:
                reason = "duplicate of another card (same answer and passage)"
            elif pkey in seen:
                reason = "duplicate of another card (same prompt)"
            elif any(asked.get(f, squash(d.quote)) != squash(d.quote) for f in repeated_forms(d)):
                reason = "duplicate of another card (same answer from another passage)"
            else:
                seen[key] = d
                seen[pkey] = d
                seen_ids.add(d.id)
        if reason is None:
            kept.append(d)
        else:
            rejected.append((d, reason))
    return kept, rejected
