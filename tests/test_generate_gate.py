"""The gate's precision rules: what a careful instructor would not hand to a trainee."""

from __future__ import annotations

from quiz.generate.draft import Draft
from quiz.generate.gate import (
    argument_wording,
    bare_do_subject,
    case_detail,
    gap_not_content,
    gate_and_dedupe,
    gate_reason,
    several_for_subject,
    squash,
)
from quiz.generate.phrasing import lower_first
from quiz.generate.references import resolve


def draft(
    prompt: str, answer: str, quote: str, *, type_: str = "cloze", kind: str = "fact"
) -> Draft:
    fields = {"text": prompt} if type_ == "cloze" else {"question": prompt, "answer": answer}
    if type_ == "truefalse":
        fields = {"statement": prompt, "answer": False}
    return Draft("t", kind, type_, fields, answer, quote, 0, "S", 1, 0, quote, score=1.0)


def cloze(sentence: str, gap: str) -> Draft:
    return draft(sentence.replace(gap, "{{" + gap + "}}", 1), gap, sentence)


def reason(d: Draft) -> str | None:
    return gate_reason(d, squash(d.quote))


def test_cloze_gaps_must_be_content_terms() -> None:
    refused = [
        ("Documents were held outside the United States.", "held outside"),
        ("One of them was later charged in 2015 with conspiracy.", "later charged"),
        (
            "Fraud investigations are the number three priority within the FBI.",
            "number three priority within",
        ),
        ("In many situations the mitigation costs can be prohibitive.", "prohibitive"),
        ("Security testing in DevOps is sometimes labeled as DevSecOps.", "sometimes labeled"),
        (
            "Not including appendices like standard administrative clauses, it is short.",
            "appendices like standard administrative",
        ),
        ("The pharmacist was held responsible and paid restitution.", "held responsible"),
    ]
    for sentence, gap in refused:
        assert reason(cloze(sentence, gap)) is not None, gap
    kept = [
        ("PCS consist of nonmedical services supporting daily living.", "nonmedical services"),
        ("Medicare is the secondary payer for these claims.", "secondary payer"),
        (
            "Carriers adopted a “least costly alternative” policy for the drug.",
            "least costly alternative",
        ),
        ("Blends of up to 20 percent biodiesel can be used in diesel engines.", "20 percent"),
    ]
    for sentence, gap in kept:
        assert reason(cloze(sentence, gap)) is None, gap


def test_gap_not_content_reads_the_words_around_the_gap() -> None:
    assert gap_not_content("valuable", "More provider education would be especially ", ".")
    assert gap_not_content("valuable", "It is a ", " asset.")  # cuts "valuable asset"
    assert gap_not_content("valuable asset", "It is a ", ".") is None


def test_vague_argument_questions_are_refused() -> None:
    assert argument_wording("According to the report, what may A grantee also do?")
    assert argument_wording("What does the report say agencies should do?")
    assert argument_wording("According to the report, what may states or municipalities do?")
    assert argument_wording(
        "According to the report, what explains why projects that get funded are not always?"
    )
    assert argument_wording(
        "According to the report, what explains why Foreign investment is limited?"
    )
    assert argument_wording("According to the report, what does span billing refer to?") is None
    assert (
        argument_wording("What does the report recommend that the Secretary of Energy do?") is None
    )


def test_bare_do_question_is_vague_when_the_report_says_several_things_the_subject_should_do() -> (
    None
):
    q = "What does the report say the United States should do?"
    assert bare_do_subject(q) == "the United States"
    twice = squash(
        "The United States should re-examine its policies. Later, the United States could play a role."
    )
    once = squash("The United States should re-examine its policies. Russia will object.")
    assert several_for_subject("the United States", twice)
    assert not several_for_subject("the United States", once)


def test_same_question_with_different_answers_from_two_passages_is_refused() -> None:
    q = "According to the report, what pushed the two countries closer together?"
    a = draft(
        q,
        "Western sanctions",
        "Western sanctions pushed the two countries closer together.",
        type_="short",
        kind="argument",
    )
    b = draft(
        q,
        "shared fear of color revolutions",
        "A shared fear of color revolutions pushed the two countries closer together.",
        type_="short",
        kind="argument",
    )
    b.line = 9
    kept, rejected = gate_and_dedupe([a, b], a.quote + " " + b.quote)
    assert kept == []
    assert all("ambiguous" in r for _, r in rejected)
    # the same sentence restated in another section asks one fact: not ambiguous
    c = draft(q, "Western sanctions", a.quote, type_="short", kind="argument")
    c.line = 40
    kept, _ = gate_and_dedupe([a, c], a.quote)
    assert kept == [a]


def test_headings_name_lists_citations_figures_and_case_numbers_make_no_card() -> None:
    assert reason(cloze("FY 2004 ALLOCATION (Dollars in thousands)", "ALLOCATION"))
    assert reason(
        cloze(
            "Waldo Jaquith, Brandon Kirby, Vicki McFadden, Mark Hopson, and Alan Atlas.",
            "Brandon Kirby",
        )
    )
    assert reason(
        cloze("Review of Claims by Washington State (A-09-09-00030).", "Washington State")
    )
    assert reason(cloze("As the figure shows, consumption will increase in Asia.", "Asia"))
    assert reason(
        cloze(
            "The physician was sentenced to 5 years in prison and ordered to pay $1.39 million.",
            "$1.39 million",
        )
    )
    assert reason(cloze("Rates can range from $210,000 per day to $300,000 per day.", "$210,000"))
    # a large fine and a count of defendants are findings, not one case's detail
    assert (
        reason(
            cloze(
                "Warner-Lambert pleaded guilty and paid a criminal fine of $240 million.",
                "$240 million",
            )
        )
        is None
    )
    assert (
        reason(
            cloze(
                "The USAOs filed charges in 395 cases involving 646 defendants.", "646 defendants"
            )
        )
        is None
    )


def test_prompt_opening_on_an_unnamed_reference_is_refused() -> None:
    assert reason(cloze("The company was ordered to pay a large civil fine.", "civil fine"))
    assert (
        reason(
            cloze(
                "The Bridge Investment Program funds large bridge projects.",
                "large bridge projects",
            )
        )
        is None
    )


def test_affirmative_made_from_a_negation_keeps_no_any() -> None:
    quote = (
        "The investigation did not identify evidence that any U.S. persons conspired with the IRA."
    )
    d = draft(
        "The investigation did identify evidence that any U.S. persons conspired with the IRA.",
        "not",
        quote,
        type_="truefalse",
    )
    assert reason(d) is not None


def test_a_term_is_asked_from_one_passage_only() -> None:
    a = cloze("Putin and Xi fear color revolutions at home.", "color revolutions")
    b = cloze("Both regimes repress any hint of color revolutions.", "color revolutions")
    b.score = 0.5
    c = cloze("The FHWA collects the inspection data.", "FHWA")
    d = cloze("The FHWA publishes a report every two years.", "FHWA")
    kept, _ = gate_and_dedupe([a, b, c, d], " ".join(x.quote for x in (a, b, c, d)))
    assert [k.quote for k in kept if k.answer == "color revolutions"] == [a.quote]
    assert len([k for k in kept if k.answer == "FHWA"]) == 2  # names recur in different facts


def test_first_word_case() -> None:
    assert lower_first("A grantee may also use the funds") == "a grantee may also use the funds"
    assert lower_first("Foreign investment may be limited") == "foreign investment may be limited"
    assert lower_first("Foreign Minister Wang said so") == "Foreign Minister Wang said so"


def test_the_bill_is_named_after_the_act_the_report_introduced() -> None:
    document = (
        "PROPOSED LEGISLATION The Medicare Education and Regulatory Fairness Act of 2001 "
        "(HR 868) has just been introduced. "
    )
    done = resolve(
        "The bill would prohibit recovering past overpayments.", "", "overpayments", document
    )
    assert done.text.startswith("The Medicare Education and Regulatory Fairness Act of 2001 would")


def test_a_pointer_to_an_unseen_table_is_left_out_of_the_prompt() -> None:
    done = resolve(
        "Congress appropriated funding outside the {{authorization}} process (Table 3).", ""
    )
    assert done.text == "Congress appropriated funding outside the {{authorization}} process."
    done = resolve("Deck area in poor condition dropped by {{30%}} (see Figures 1 and 2).", "")
    assert done.text == "Deck area in poor condition dropped by {{30%}}."


def test_true_false_opening_on_an_unnamed_reference_and_answers_cut_after_an_auxiliary() -> None:
    quote = "The projects do not include good design artifacts."
    d = draft("The projects do include good design artifacts.", "not", quote, type_="truefalse")
    assert reason(d) is not None
    role = "The product owner doesn’t need to be a strong technologist."
    kept = draft(role, "n’t", role, type_="truefalse")
    assert reason(kept) is None  # a role, not a reference
    cut = draft(
        "According to the report, what need to be a strong technologist?",
        "The product owner doesn’t",
        role,
        type_="short",
        kind="argument",
    )
    assert reason(cut) is not None


def test_a_change_from_one_figure_to_another_is_a_finding_not_one_end_of_a_range() -> None:
    sentence = "Home health expenditures dropped from $18 billion in 1996 to $9.5 billion in 1999."
    assert case_detail(cloze(sentence, "$18 billion")) is None
    assert case_detail(
        cloze("Rig rates range from $210,000 per day to $300,000 per day.", "$210,000")
    )


def test_what_should_x_do_asks_for_the_verb_when_the_report_says_several_things_x_should_do() -> (
    None
):
    from quiz.generate.pipeline import generate

    text = (
        "POLICY\nIn view of these asymmetries, the United States should re-examine the wisdom "
        "of pursuing policies in the high-tech area that push the two countries closer. "
        "Going forward, the United States could play a role in ensuring that Moscow and Beijing "
        "do not further intensify their partnership.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=10)
    prompts = {c.prompt: c for c in deck.cards}
    assert "What does the report say the United States should do?" not in prompts
    asked = prompts["What does the report say the United States should re-examine?"]
    assert asked.canonical_answer.lower().startswith("the wisdom of pursuing policies")


def test_a_term_asked_from_two_passages_is_asked_where_the_report_first_uses_it() -> None:
    first = cloze("Both regimes fear color revolutions at home.", "color revolutions")
    first.score = 0.5
    later = cloze("They help each other repress color revolutions abroad.", "color revolutions")
    later.quote_start = 500
    kept, _ = gate_and_dedupe([first, later], first.quote + " " + later.quote)
    assert kept == [first]
