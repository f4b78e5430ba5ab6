"""Grading rules, one test per rule: verdicts, normalisation, quantities, types, diff."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from quiz.deck.model import Card, ClozeCard, ShortCard
from quiz.study.answers import analyse, normalize, parse_quantities
from quiz.study.grading import SUGGESTED_RATING, DiffSpan, Grade, Verdict, diff, grade, match_answer

CARD = TypeAdapter(Card)


def card(**fields: Any) -> Any:
    fields.setdefault("id", "c1")
    return CARD.validate_python(fields)


def short(answer: str, *accept: str) -> Any:
    return card(type="short", question="Q?", answer=answer, accept=list(accept))


def verdict(answer: str, response: str, *accept: str) -> Verdict:
    return grade(short(answer, *accept), response).verdict


C, X, W = Verdict.CORRECT, Verdict.CLOSE, Verdict.WRONG


# ------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Power   of\tSiberia  ", "power of siberia"),
        ("The Kremlin", "kremlin"),
        ("a quarter", "quarter"),
        ("An apple.", "apple"),
        ("Pakistán", "pakistan"),
        ("Straße", "strasse"),
        ("ﬁnance", "finance"),  # NFKC ligature
        ("Xi’an", "xi'an"),
        ("“quoted”", "quoted"),
        ("Sino–Russian — ties", "sino-russian - ties"),
        ("done!?…", "done"),
        ("the the end", "end"),
        ("zero\u200bwidth", "zerowidth"),
        ("line\nbreak", "line break"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_article_as_whole_answer() -> None:
    assert normalize("The") == "the"


# ------------------------------------------------------------------ verdicts


def test_suggested_ratings_follow_anki_meaning() -> None:
    assert SUGGESTED_RATING == {C: 3, X: 2, W: 1, Verdict.SELF: 3}
    g = grade(short("Gazprom"), "Rosneft")
    assert (g.verdict, g.suggested_rating, g.correct) == (W, 1, False)
    g = grade(short("Gazprom"), "gazprom")
    assert (g.verdict, g.suggested_rating, g.correct) == (C, 3, True)


def test_exact_and_normalised_match_is_correct() -> None:
    g = grade(short("Power of Siberia"), "  the POWER of siberia. ")
    assert g.verdict is C
    assert g.matched == "Power of Siberia"
    assert g.canonical == "Power of Siberia"
    assert g.response == "  the POWER of siberia. "


def test_accept_alternatives_are_checked() -> None:
    g = grade(short("Collective Security Treaty Organization", "CSTO"), "csto")
    assert g.verdict is C
    assert g.matched == "CSTO"


def test_acronym_of_the_answer_is_correct_both_ways() -> None:
    assert verdict("Belt and Road Initiative", "BRI") is C
    assert verdict("Shanghai Cooperation Organisation", "S.C.O.") is C
    assert verdict("PLA", "People's Liberation Army") is C
    assert verdict("Belt and Road Initiative", "BRA") is W


def test_typo_in_a_longer_answer_is_correct() -> None:
    assert verdict("Organization", "Organisation") is C
    assert verdict("Gazprom", "Gasprom") is C
    assert verdict("Blagoveshchensk", "Blagoveschensk") is C
    assert (
        verdict("Collective Security Treaty Organization", "Colective Security Treaty Organisation")
        is C
    )


def test_moderately_distant_answer_is_close() -> None:
    assert verdict("Blagoveshchensk", "Blagovesensk") is X
    assert verdict("Gorbachev", "Grbchv") is X


def test_unrelated_answer_is_wrong() -> None:
    assert verdict("Gazprom", "Rosneft") is W
    assert verdict("North Korea", "South Korea") is W
    assert verdict("Eurasian Economic Union", "European Union") is W


@pytest.mark.parametrize("response", ["Xu", "X", "Xi.", "xii"])
def test_short_answers_need_exact_match(response: str) -> None:
    expected = C if response == "Xi." else W
    assert verdict("Xi", response) is expected
    assert verdict("Amur", "Amor") is W
    assert verdict("Iran", "Iraq") is W


def test_short_answer_with_extra_words_is_close() -> None:
    assert verdict("PLA", "PLA Navy") is X
    assert verdict("2014", "March 2014") is X
    assert verdict("2014", "in 2014") is C


def test_subset_of_a_list_is_not_correct() -> None:
    assert verdict("Russia and China", "Russia") is W
    assert verdict("India and Pakistan", "Pakistan") is W
    assert verdict("Russia and China", "China and Russia") is C
    assert verdict("India and Pakistan", "India, Pakistan") is C


def test_missing_words_of_one_name_are_close() -> None:
    assert verdict("Harrison Salisbury", "Salisbury") is X
    assert verdict("Belt and Road Initiative", "Belt and Road") is X
    assert (
        verdict("Collective Security Treaty Organization", "Collective Security Organization") is X
    )


def test_another_first_name_form_is_close_another_surname_wrong() -> None:
    assert verdict("Mikhail Gorbachev", "Michael Gorbachev") is X
    assert verdict("Boris Yeltsin", "Boris Johnson") is W
    assert verdict("Mikhail Gorbachev", "Mikhail Suslov") is W


def test_extra_descriptive_words_are_correct_extra_list_items_wrong() -> None:
    assert verdict("Power of Siberia", "the Power of Siberia gas pipeline") is C
    assert verdict("China", "China and Russia") is W
    assert verdict("Geng Shuang", "Geng Shuang and Wang Yi") is W


def test_hedged_answers_are_wrong() -> None:
    assert verdict("China", "China or India") is W
    assert verdict("2014", "2014 or 2015") is W
    assert verdict("2014", "2014/2015") is W


def test_negation_must_agree() -> None:
    answer = "China is not perceived as a threat to Putin's rule"
    assert verdict(answer, "China is perceived as a threat to Putin's rule") is W
    assert verdict(answer, "china isn't perceived as a threat to putins rule") is C
    assert verdict("an existential issue", "a non-existential issue") is W


def test_swapped_relations_are_not_correct() -> None:
    answer = "sanctioning Russia and a trade war with China"
    assert verdict(answer, "sanctions on Russia and the trade war with China") is C
    assert verdict(answer, "sanctioning China and a trade war with Russia") is not C


def test_generation_suffix_names_another_person() -> None:
    assert verdict("Donald Trump", "Donald Trump Jr.") is W
    assert verdict("Donald Trump Jr.", "Donald Trump") is X


def test_token_set_subset_trap_is_not_correct() -> None:
    # token_set_ratio scores these 100; the grader must not
    assert verdict("$240.1 billion", "240 billion") is W
    assert verdict("Russia and China", "Russia") is W


# ---------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    "response",
    [
        "$400 billion",
        "400bn",
        "400 billion dollars",
        "US$0.4 trillion",
        "$400,000,000,000",
        "$400B",
    ],
)
def test_money_formats_are_equal(response: str) -> None:
    assert verdict("$400 billion", response) is C


@pytest.mark.parametrize(
    "response", ["$40 billion", "$4 billion", "$400 million", "$4 trillion", "40bn"]
)
def test_a_different_amount_is_wrong(response: str) -> None:
    assert verdict("$400 billion", response) is W


def test_different_currency_is_wrong_missing_currency_is_fine() -> None:
    assert verdict("$107 billion", "€107 billion") is W
    assert verdict("$107 billion", "107 billion euros") is W
    assert verdict("$107 billion", "107 billion") is C


def test_number_without_its_scale_is_close() -> None:
    assert verdict("$107 billion", "107") is X
    assert verdict("73%", "73") is X


@pytest.mark.parametrize(
    ("answer", "response"), [("2014", "2015"), ("1969", "1968"), ("2014", "14")]
)
def test_years_match_exactly(answer: str, response: str) -> None:
    assert verdict(answer, response) is W
    assert verdict(f"annexed in {answer}", f"annexed in {response}") is W


@pytest.mark.parametrize(
    "response", ["8 times", "eight times", "eightfold", "8x", "8-fold", "eight-fold"]
)
def test_times_formats_are_equal(response: str) -> None:
    assert verdict("eight times", response) is C


@pytest.mark.parametrize(
    "response", ["25%", "25 percent", "25 per cent", "a quarter", "one quarter", "1/4"]
)
def test_percent_and_fraction_formats_are_equal(response: str) -> None:
    assert verdict("25%", response) is C


def test_opposite_qualifiers_are_wrong_missing_qualifier_fine() -> None:
    assert verdict("over 90%", "under 90%") is W
    assert verdict("over 90%", "less than 90 percent") is W
    assert verdict("over 90%", "90%") is C
    assert verdict("over 90%", ">90%") is C
    assert verdict("50%", "above 50%") is X


def test_dates_in_any_order_and_format() -> None:
    assert verdict("December 23, 2019", "23rd Dec 2019") is C
    assert verdict("December 23, 2019", "December 24, 2019") is W
    assert verdict("December 23, 2019", "November 23, 2019") is W


def test_codes_must_match() -> None:
    answer = "Su-35 fighter jets and S-400 missiles"
    assert verdict(answer, "S-400 missiles and Su35 fighter jets") is C
    assert verdict(answer, "Su-35 fighter jets and S-300 missiles") is W
    assert verdict("Tu-95MS", "Tu-95") is X


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1,500", [1500]),
        ("1.5 million", [1.5e6]),
        ("1.5m", [1.5e6]),
        ("$2bn", [2e9]),
        ("twenty-five thousand", [25000]),
        ("one hundred and seven billion", [1.07e11]),
        ("25.000", [25000]),
        ("1 000", [1000]),
        ("3,14", [3.14]),
        ("3e5", [3e5]),
        ("2004-2008", [2004, 2008]),
        ("-5", [-5]),
        ("two thirds", [2 / 3]),
        ("one and a half million", [1.5e6]),
    ],
)
def test_parse_quantities(text: str, values: list[float]) -> None:
    got = [q.value for q in parse_quantities(text)]
    assert got == pytest.approx(values)


def test_quantity_kinds() -> None:
    kinds = [q.kind for q in parse_quantities("in 2014 the 6th of 1960s growth 25% eightfold")]
    assert kinds == ["year", "ordinal", "decade", "percent", "times"]


# ------------------------------------------------------------------- cloze


def cloze(text: str) -> Any:
    return card(type="cloze", text=text)


def test_cloze_single_gap_string() -> None:
    c = cloze("Russia annexed {{Crimea}} in 2014.")
    assert grade(c, "crimea").verdict is C
    assert grade(c, ["Crimea"]).verdict is C
    assert grade(c, "Donbas").verdict is W


def test_cloze_gap_alternatives() -> None:
    c = cloze("Putin launched the {{Eurasian Economic Union|EAEU::a union}}.")
    g = grade(c, "EAEU")
    assert g.verdict is C
    assert g.matched == "EAEU"
    assert g.canonical == "Eurasian Economic Union"


def test_cloze_overall_verdict_is_the_worst_gap() -> None:
    c = cloze("In {{2014}}, Russia annexed {{Crimea}} from {{Ukraine}}.")
    assert grade(c, ["2014", "Crimea", "Ukraine"]).verdict is C
    assert grade(c, ["2014", "Crimea", "Ukriane"]).verdict is C
    assert grade(c, ["2014", "Crimean", "Ukrainian territory and Belarus"]).verdict is W
    assert grade(c, ["2015", "Crimea", "Ukraine"]).verdict is W
    g = grade(c, ["2014", "Blagovesensk", "Ukraine"])
    assert g.verdict in (X, W)


def test_cloze_response_joins_gaps_and_splits_strings() -> None:
    c = cloze("In {{2014}}, Russia annexed {{Crimea}}.")
    g = grade(c, ["2014", "Crimea"])
    assert g.response == "2014; Crimea"
    assert g.canonical == "2014; Crimea"
    assert grade(c, "2014; Crimea").verdict is C
    assert grade(c, ["Crimea", "2014"]).verdict is W
    missing = grade(c, ["2014"])
    assert missing.verdict is W
    assert missing.response == "2014; "


# ------------------------------------------------------------------ numeric


def numeric(answer: float, unit: str | None = None, tolerance: Any = None) -> Any:
    return card(type="numeric", question="How many?", answer=answer, unit=unit, tolerance=tolerance)


@pytest.mark.parametrize(
    "response",
    ["1500000", "1,500,000", "1.5 million", "1.5m", "1.5 mn", "about 1.5 million people"],
)
def test_numeric_formats(response: str) -> None:
    assert grade(numeric(1_500_000), response).verdict is C


def test_numeric_money_and_unit_scale() -> None:
    c = numeric(2, unit="billion USD")
    for response in ["2", "$2bn", "2 billion", "$2,000,000,000", "US$ 2 billion"]:
        assert grade(c, response).verdict is C, response
    assert grade(c, "$2 million").verdict is W
    assert grade(c, "20").verdict is W


def test_numeric_percent() -> None:
    assert grade(numeric(73, unit="%"), "73%").verdict is C
    assert grade(numeric(73, unit="%"), "73 percent").verdict is C
    assert grade(numeric(0.25), "25%").verdict is C


def test_numeric_units_are_ignored() -> None:
    assert grade(numeric(5, unit="m"), "5 m").verdict is C
    assert grade(numeric(5, unit="m"), "5m").verdict is C
    assert grade(numeric(1000, unit="km²"), "1000 km2").verdict is C
    assert grade(numeric(280), "280 shots").verdict is C


def test_numeric_tolerance_zero_is_exact_with_epsilon() -> None:
    c = numeric(0.3)
    assert grade(c, str(0.1 + 0.2)).verdict is C
    assert grade(numeric(2014), "2015").verdict is W
    assert grade(numeric(2014), "2014").verdict is C


def test_numeric_tolerance_zero_close_when_it_rounds_to_the_answer() -> None:
    assert grade(numeric(107), "107.3").verdict is X
    assert grade(numeric(6.3), "6.32").verdict is X
    assert grade(numeric(6.3), "6.4").verdict is W


def test_numeric_tolerance_and_close_band() -> None:
    c = numeric(100, tolerance=5)
    assert grade(c, "104").verdict is C
    assert grade(c, "95").verdict is C
    assert grade(c, "109").verdict is X
    assert grade(c, "111").verdict is W
    rel = numeric(350_000, tolerance="5%")
    assert grade(rel, "360,000").verdict is C
    assert grade(rel, "380,000").verdict is X
    assert grade(rel, "400,000").verdict is W


@pytest.mark.parametrize("response", ["", "lots", "many", "six or seven", "6 or 7", None])
def test_numeric_unparseable_or_hedged_is_wrong(response: Any) -> None:
    assert grade(numeric(6), response).verdict is W


def test_numeric_number_words() -> None:
    assert grade(numeric(8, unit="times"), "eightfold").verdict is C
    assert grade(numeric(280), "two hundred and eighty").verdict is C
    assert grade(numeric(8), "nine").verdict is W


# --------------------------------------------------------------- mcq and t/f


def test_mcq_compares_the_chosen_text() -> None:
    c = card(type="mcq", question="Q?", choices=["China", "India", "Japan"], answer="China")
    assert grade(c, "China").verdict is C
    assert grade(c, "china").verdict is C
    assert grade(c, "India").verdict is W
    assert grade(c, "Chian").verdict is W  # choices are exact, no typo tolerance
    g = grade(c, "China")
    assert g.diff == [] and g.matched == "China" and g.canonical == "China"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (True, C),
        (False, W),
        ("t", C),
        ("TRUE", C),
        ("yes", C),
        ("Y", C),
        ("f", W),
        ("false", W),
        ("no", W),
        ("maybe", W),
        ("", W),
        (None, W),
    ],
)
def test_truefalse(response: Any, expected: Verdict) -> None:
    c = card(type="truefalse", statement="Russia borders China.", answer=True)
    assert grade(c, response).verdict is expected


def test_truefalse_response_text() -> None:
    c = card(type="truefalse", statement="S", answer=False, explanation="Because.")
    g = grade(c, "f")
    assert (g.verdict, g.response, g.canonical) == (C, "False", "False")
    assert grade(c, "perhaps").response == "perhaps"


def test_basic_is_self_graded() -> None:
    c = card(type="basic", question="Q?", answer="A long answer")
    g = grade(c, None)
    assert g.verdict is Verdict.SELF
    assert g.suggested_rating == 3
    assert g.correct is None
    assert g.canonical == "A long answer"
    assert g.diff == []


# --------------------------------------------------------------------- diff


def _joined(spans: list[DiffSpan]) -> tuple[str, str]:
    return "".join(s.given for s in spans), "".join(s.expected for s in spans)


def test_diff_reconstructs_both_strings_and_names_ops() -> None:
    spans = diff("Gasprom!", "Gazprom")
    assert _joined(spans) == ("Gasprom!", "Gazprom")
    ops = [s.op for s in spans]
    assert ops == ["equal", "replace", "equal", "delete"]
    missing = diff("Gzprom", "Gazprom")
    assert [s.op for s in missing] == ["equal", "insert", "equal"]
    assert missing[1].expected == "a" and missing[1].given == ""


def test_diff_ignores_case() -> None:
    assert [s.op for s in diff("gazprom", "Gazprom")] == ["equal"]


def test_typed_grades_carry_a_diff_against_the_closest_answer() -> None:
    g = grade(short("Gorbachev", "Mikhail Gorbachev"), "Mikhail Gorbachov")
    assert g.verdict is C
    assert _joined(g.diff) == ("Mikhail Gorbachov", "Mikhail Gorbachev")
    n = grade(numeric(6.3, unit="million"), "6.2")
    assert _joined(n.diff) == ("6.2", "6.3 million")


# ------------------------------------------------------------------ hostile


@pytest.mark.parametrize(
    "response",
    [
        "[bold]China[/]",
        "[/]",
        "$var ${x}",
        "\x1b[31mChina\x1b[0m",
        "\x00\x07\x08",
        "China" * 100_000,
        "9" * 5000,
        "1e999",
        "😀 🇨🇳",
        "\u202eanihC",
        12,
        3.5,
        ["a", "b"],
        {"x": 1},
    ],
)
def test_hostile_responses_never_raise(response: Any) -> None:
    for c in (
        short("China"),
        numeric(5),
        cloze("A {{b}} c {{d}}."),
        card(type="mcq", question="Q?", choices=["a", "b", "c"], answer="a"),
        card(type="truefalse", statement="S", answer=True),
    ):
        g = grade(c, response)
        assert isinstance(g, Grade)
        assert g.verdict in (C, X, W)


def test_markup_in_answers_is_compared_literally() -> None:
    assert verdict("[/]", "[/]") is C
    assert verdict("[/]", "[x]") is W
    assert verdict("?", "?") is C


def test_analysis_is_cached_and_pure() -> None:
    a = analyse("Power of Siberia")
    assert analyse("Power of Siberia") is a
    assert match_answer("Power of Siberia", "power of siberia")[0] is C


def test_first_letter_typos_in_short_words_are_not_typos() -> None:
    assert verdict("Zambia", "Gambia") is X
    assert verdict("Gambia", "Gambia.") is C


def test_derived_forms_match_other_extensions_do_not() -> None:
    assert verdict("Russia", "Russian") is C
    assert verdict("threat", "threaten") is C
    assert verdict("India", "Indiana") is not C


def test_antonyms_that_look_alike_are_wrong() -> None:
    assert verdict("increase", "decrease") is W


def test_unit_and_title_abbreviations() -> None:
    assert verdict("100 km", "100 kilometres") is C
    assert verdict("100 km", "100 miles") is W
    assert verdict("Mount Everest", "Mt. Everest") is C
    assert verdict("St. Petersburg", "Saint Petersburg") is C
    assert verdict("United States", "U.S.A.") is C


def test_rounded_percent_of_a_fraction_is_equal() -> None:
    assert verdict("two thirds", "67%") is C
    assert verdict("one third", "33%") is C
    assert verdict("one third", "40%") is W
    assert verdict("10%", "0.1") is X


def test_cloze_string_split_on_commas_when_it_fits() -> None:
    c = cloze("In {{2014}}, Russia annexed {{Crimea}}.")
    assert grade(c, "2014, Crimea").verdict is C


def test_long_answers_half_in_other_words_are_close() -> None:
    answer = "Russia supplies hydrocarbons and advanced military hardware"
    assert verdict(answer, "Russia supplies oil, gas and advanced weapons") in (X, W)
    assert verdict(answer, "Russia supplies hydrocarbons and modern military equipment") is X


def test_wrong_answers_are_diffed_against_the_canonical_answer() -> None:
    g = grade(short("Collective Security Treaty Organization", "CSTO"), "NATO")
    assert g.verdict is W
    assert _joined(g.diff) == ("NATO", "Collective Security Treaty Organization")


def test_swapped_letters_in_a_short_word_of_a_longer_answer() -> None:
    assert verdict("Russia's Far East", "Russia's Far Esat") is C
    assert verdict("Russia's Far East", "Russia's Far West") is W
    assert verdict("East", "Esat") is W  # a whole answer under 5 characters is exact


def test_misplaced_spaces_are_correct() -> None:
    assert verdict("the Amur River", "th eAmur River") is C
    assert verdict("between 2004 and 2008", "between 2004 an d2008") is C
    assert verdict("Wei Fenghe", "Wei Feng He") is C


def test_two_letter_answers_are_not_taken_for_initials() -> None:
    assert verdict("Xi", "Xinjiang Independence") is W
    assert verdict("New York", "NY") is C
    assert verdict("New York", "ny") is W


def test_symbol_only_answers_need_the_symbols() -> None:
    assert verdict("[/]", "()") is W
    assert verdict("[/]", " [/] ") is C


def test_comma_qualified_answers_are_not_lists() -> None:
    assert verdict("Paris, France", "Paris") is X
    assert verdict("Paris", "Paris, France") is X
    assert verdict("Russia, China and India", "Russia, China") is W
    assert verdict("China", "Russia and China") is W


def test_brackets_in_the_answer_are_optional() -> None:
    answer = "Collective Security Treaty Organization (CSTO)"
    assert verdict(answer, "CSTO") is C
    assert verdict(answer, "Collective Security Treaty Organization") is C
    assert verdict(answer, answer) is C
    assert verdict("Vostok (East) 2018", "Vostok 2018") is C
    assert verdict("Vostok (East) 2018", "East") is not C


def test_yen_sign_agrees_with_yen_or_yuan() -> None:
    assert verdict("¥100", "100 yen") is C
    assert verdict("¥100", "100 yuan") is C
    assert verdict("€100", "$100") is W


def test_a_response_that_cannot_be_shown_is_no_answer() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    g = grade(short("China"), Unprintable())
    assert (g.verdict, g.response) == (W, "")


@pytest.mark.parametrize(
    "response", ["1000 km2", "1000 km²", "1,000 sq km", "1000 square kilometres"]
)
def test_area_units(response: str) -> None:
    assert verdict("1,000 square kilometers", response) is C
    assert verdict("1,000 square kilometers", "1000 square miles") is W


# ------------------------------------------------- common forms: acronyms, surnames, name order


def _short(question: str, answer: str) -> ShortCard:
    return ShortCard(id="s", type="short", question=question, answer=answer)


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("Shanghai Cooperation Organization", "the SCO"),
        ("Shanghai Cooperation Organization", "SCO"),
        ("the SCO", "Shanghai Cooperation Organization"),
        ("People's Liberation Army", "the PLA"),
    ],
)
def test_acronym_and_full_name_with_or_without_article(answer: str, typed: str) -> None:
    card = _short("Which organisation did Russia and China found to manage Central Asia?", answer)
    assert grade(card, typed).verdict is Verdict.CORRECT


@pytest.mark.parametrize(
    ("answer", "right", "close"),
    [
        ("Xi Jinping", ["Xi", "President Xi", "xi"], ["Jinping"]),
        ("Mao Zedong", ["Mao", "Chairman Mao"], ["Zedong"]),
        ("Deng Xiaoping", ["Deng"], ["Xiaoping"]),
        ("Kim Jong-un", ["Kim"], []),
        ("Wang Yi", ["Wang"], ["Yi"]),
        ("Vladimir Putin", ["Putin", "President Putin"], ["Vladimir"]),
        ("Jack Ma", ["Ma"], []),
    ],
)
def test_surname_alone_is_right_for_a_person_family_name_first_in_order(
    answer: str, right: list[str], close: list[str]
) -> None:
    card = _short("Who called the relationship the best in history?", answer)
    for typed in right:
        assert grade(card, typed).verdict is Verdict.CORRECT, typed
    for typed in close:
        assert grade(card, typed).verdict is Verdict.CLOSE, typed


def test_surname_rule_needs_a_person_and_the_right_name() -> None:
    # not asked for a person: a place's last word is not its "surname"
    place = _short("Which country did Russia overtake as China's top oil supplier?", "Saudi Arabia")
    assert grade(place, "Arabia").verdict is not Verdict.CORRECT
    # 'Kim Kardashian' is given name first: 'Kim' is not her surname
    assert grade(_short("Who posted it?", "Kim Kardashian"), "Kim").verdict is not Verdict.CORRECT
    # another person's surname, or a Jr.
    assert grade(_short("Who said it?", "Xi Jinping"), "Xu").verdict is Verdict.WRONG
    assert grade(_short("Who said it?", "Donald Trump Jr."), "Trump").verdict is not Verdict.CORRECT


def test_cloze_gap_after_a_title_takes_the_surname() -> None:
    card = ClozeCard(
        id="c", type="cloze", text="Chinese President {{Xi Jinping}} visited Moscow in June 2019."
    )
    assert grade(card, "Xi").verdict is Verdict.CORRECT
    said = ClozeCard(id="d", type="cloze", text="{{Mao Zedong}} said the border war was a mistake.")
    assert grade(said, "Mao").verdict is Verdict.CORRECT
    place = ClozeCard(
        id="e", type="cloze", text="Russia overtook {{Saudi Arabia}} as the top source."
    )
    assert grade(place, "Arabia").verdict is not Verdict.CORRECT


def test_acronym_the_card_itself_defines_is_accepted_both_ways() -> None:
    quote = "Xi and Putin signed an agreement on the integration of the Eurasian Economic Union (EAEU) and the BRI."
    card = ShortCard(
        id="s",
        type="short",
        question="Which union did Xi and Putin agree to integrate with the BRI?",
        answer="Eurasian Economic Union",
        source={"quote": quote},
    )
    assert grade(card, "the EAEU").verdict is Verdict.CORRECT  # not the initials 'EEU'
    reverse = ShortCard(
        id="r",
        type="short",
        question="Which union (by its acronym) did they agree to integrate?",
        answer="EAEU",
        source={"quote": quote},
    )
    assert grade(reverse, "Eurasian Economic Union").verdict is Verdict.CORRECT
    bare = ShortCard(
        id="b",
        type="short",
        question="Which union did they agree to integrate?",
        answer="Eurasian Economic Union",
    )
    assert grade(bare, "EAEU").verdict is not Verdict.CORRECT  # no definition to go by
    gap = ClozeCard(
        id="c",
        type="cloze",
        text="They agreed to integrate the {{Eurasian Economic Union}} and the BRI.",
        source={"quote": quote},
    )
    assert grade(gap, "EAEU").verdict is Verdict.CORRECT


def test_defined_acronyms() -> None:
    from quiz.study.grading import defined_acronyms

    text = (
        "the U.N. Security Council (UNSC), the Collective Security Treaty Organization (CSTO), "
        "Vostok (East) 2018, and the People's Liberation Army (PLA)"
    )
    assert defined_acronyms(text) == [
        ("U.N. Security Council", "UNSC"),
        ("Collective Security Treaty Organization", "CSTO"),
        ("People's Liberation Army", "PLA"),
    ]


def test_family_name_first_name_is_a_person_without_a_who_question() -> None:
    gap = ClozeCard(id="c", type="cloze", text="{{Xi Jinping}} has turned to Russia for support.")
    assert grade(gap, "Xi").verdict is Verdict.CORRECT
    assert grade(gap, "Jinping").verdict is Verdict.CLOSE
    city = ClozeCard(id="h", type="cloze", text="Protests in {{Hong Kong}} drew Beijing's anger.")
    assert grade(city, "Hong").verdict is not Verdict.CORRECT
