"""Card templates of quiz.generate on small synthetic reports."""

from __future__ import annotations

from quiz.deck.model import McqCard, NumericCard, TrueFalseCard
from quiz.generate.pipeline import generate

REPORT = """EXECUTIVE SUMMARY
Trade between Alderland and Borovia has grown since 2010, in part because Alderland lowered its tariffs. Bilateral trade reached $40 billion in 2018, up from $12 billion in 2010.

Mutual mistrust remains high in the border provinces. However, both governments have signed a new border treaty.

TRADE AND ENERGY
Borovia supplies 35% of Alderland's gas. The Northern Gas Pipeline will double Borovia's export capacity. The Caspian Energy Council (CEC) manages the pipeline. Alderland could reduce its dependence by building storage terminals.

According to Minister Ivan Petrov, "the pipeline is the backbone of our partnership." The Western Trade Forum argued that Alderland should diversify its suppliers. Because Borovia was short of capital, Alderland financed most of the pipeline. Alderland's economy is more than six times the size of Borovia's. The investigation did not establish that the pipeline contract was signed under pressure.
"""


def deck_and_prompts():
    deck, _ = generate(REPORT, source_name="synthetic.txt", max_cards=200)
    return deck, {c.prompt: c for c in deck.cards}


def test_cause_and_contrast_arguments() -> None:
    _, prompts = deck_and_prompts()
    causes = [
        c for p, c in prompts.items() if p.startswith("According to the report, what explains why")
    ]
    assert any("Alderland lowered its tariffs" in c.canonical_answer for c in causes)
    assert any("Borovia was short of capital" in c.canonical_answer for c in causes)
    quals = [
        c for p, c in prompts.items() if p.startswith("What qualification does the report attach")
    ]
    assert any("border treaty" in c.canonical_answer for c in quals)
    assert all(c.kind == "argument" for c in causes + quals)


def test_recommendation_and_how_could() -> None:
    _, prompts = deck_and_prompts()
    assert any(
        p.startswith("According to the report, how could Alderland reduce its dependence")
        for p in prompts
    )


NUMBERS = """TRADE
Bilateral trade reached $40 billion in 2018. Borovia supplies 35% of Alderland's gas. Exports of
grain rose to $12 billion in 2016. Alderland's economy is more than six times the size of Borovia's.
Imports of coal fell to $3 billion in 2015. Some 2.5 million people crossed the border in 2017.
"""


def test_numbers_have_units_tolerances_and_fair_distractors() -> None:
    deck, _ = generate(NUMBERS, source_name="numbers.txt", max_cards=50)
    numeric = [c for c in deck.cards if isinstance(c, NumericCard)]
    mcqs = [c for c in deck.cards if isinstance(c, McqCard)]
    assert numeric or mcqs
    for c in numeric:
        assert c.unit or c.tolerance is not None or float(c.answer).is_integer()
    for c in mcqs:
        assert 3 <= len(c.choices) <= 4
        assert c.answer in c.choices
        if c.answer.startswith("$"):
            value = float(c.answer.strip("$").split()[0])
            for choice in c.choices:
                if choice != c.answer:
                    other = float(choice.strip("$").split()[0])
                    assert abs(other - value) > value * 0.05  # outside the grading tolerance


def test_acronym_is_an_accepted_answer_not_a_question_nor_a_hint() -> None:
    _, prompts = deck_and_prompts()
    assert not [p for p in prompts if "stand for" in p]  # expansions are trivia
    council = [c for c in prompts.values() if c.canonical_answer == "Caspian Energy Council"]
    assert council  # asked with its acronym out of the prompt, accepted as an answer
    for card in council:
        assert "(CEC)" not in card.prompt
        assert {"CEC", "the CEC"} <= set(card.accepted_answers)
    who = [c for p, c in prompts.items() if p.startswith("Who said")]
    assert any(
        "Ivan Petrov" in c.accepted_answers[0] or "Petrov" in c.accepted_answers for c in who
    )


def test_true_false_cards_explain_false_statements() -> None:
    deck, _ = deck_and_prompts()
    tfs = [c for c in deck.cards if isinstance(c, TrueFalseCard)]
    assert tfs
    for c in tfs:
        if c.answer is False:
            assert c.explanation and "The report says:" in c.explanation
            assert c.statement not in c.explanation


def test_ids_do_not_depend_on_position() -> None:
    deck, _ = deck_and_prompts()
    moved = REPORT.replace(
        "TRADE AND ENERGY\n", "TRADE AND ENERGY\nAn unrelated new sentence was added here today.\n"
    )
    deck2, _ = generate(moved, source_name="synthetic.txt", max_cards=200)
    ids1 = {c.id for c in deck.cards}
    ids2 = {c.id for c in deck2.cards}
    assert len(ids1 & ids2) >= 0.8 * len(ids1)


def test_gap_choice_prefers_the_passage_own_name_over_a_repeated_year() -> None:
    from quiz.generate.build import build_drafts
    from quiz.generate.clean import clean_text
    from quiz.generate.rank import score_drafts
    from quiz.generate.sentences import split_sentences
    from quiz.generate.templates.facts import answer_echoed, sentence_gerund

    assert answer_echoed("Russian Federation", "Beijing backed Russia’s actions; part of the ")
    assert answer_echoed("Caspian Energy Council", "The  (CEC) manages the pipeline.")
    assert not answer_echoed("Saudi Arabia", "Russia overtook  as the top source of oil imports")
    assert sentence_gerund("Peeling Russia") and sentence_gerund("Seeking Help")
    assert not sentence_gerund("Beijing") and not sentence_gerund("Nanjing Road")
    text = (
        "OIL\n"
        "Borovia exported oil in 2016. Prices fell in 2016. Output rose in 2016 as well.\n\n"
        "Borovia overtook Norway as the top source of Alderland's oil imports in 2016.\n"
    )
    cleaned = clean_text(text)
    sentences = split_sentences(cleaned)
    drafts = build_drafts(cleaned, sentences)
    score_drafts(drafts, sentences)
    on_it = [d for d in drafts if d.quote.startswith("Borovia overtook") and d.kind == "fact"]
    answers = {d.answer for d in on_it}
    assert {"Norway", "2016"} <= answers
    best = max(on_it, key=lambda d: d.score)
    assert best.answer == "Norway"


def test_no_wh_word_inside_a_noun_phrase() -> None:
    from quiz.generate.candidates import Span
    from quiz.generate.templates.facts import echo_question

    def ask(sentence: str, name: str) -> str | None:
        i = sentence.index(name)
        return echo_question(sentence, Span("entity", name, i, i + len(name), etype="org"))

    inside = "During the first Harbin Trade Forum in Beijing in May 2017, both sides signed a pact."
    assert ask(inside, "Harbin Trade Forum") is None  # not "During the first which organization"
    plain = "The treaty was signed by the Harbin Trade Forum in 2017."
    assert (
        ask(plain, "Harbin Trade Forum") == "The treaty was signed by which organization in 2017?"
    )


def test_named_currencies_are_gaps_with_plain_alternatives() -> None:
    from quiz.generate.candidates import find_spans
    from quiz.generate.templates.facts import accept_for

    text = (
        "Sanctions led both governments away from the American dollar, agreeing to trade "
        "in the ruble and the yuan."
    )
    terms = {s.text: s for s in find_spans(text) if s.kind == "term"}
    assert {"the American dollar", "the ruble and the yuan"} <= set(terms)
    assert "ruble and yuan" in accept_for(terms["the ruble and the yuan"])
    assert "dollar" in accept_for(terms["the American dollar"])
    assert not [s for s in find_spans("They won the vote in the end.") if s.kind == "term"]


def test_organisation_options_are_names_of_organisations() -> None:
    from quiz.generate.candidates import Span
    from quiz.generate.templates.choices import Pools, distractors

    def org(text: str) -> Span:
        return Span("entity", text, 0, len(text), etype="org")

    others = [
        "Office",
        "Caspian Energy Council",
        "Western Trade Forum",
        "Congress",
        "Borovian Bank",
    ]
    # "Office" is the most frequent, so it would be the first option if allowed
    pools = Pools.build(
        [
            [org(t) for t in others],
            [org("Office")],
            [org("Office"), org("US")],
            [org("National Grid Agency")],
        ]
    )
    options = distractors(org("National Grid Agency"), pools, "The National Grid Agency ...", "s")
    assert "Office" not in options  # a bare head word ("the Office") is no organisation's name
    assert set(options) <= {
        "Caspian Energy Council",
        "Western Trade Forum",
        "Congress",
        "Borovian Bank",
    }
    assert len(options) == 3
    acr = Pools.build([[org("US"), org("CEC"), org("WTF"), org("NGA")], [org("US")]])
    assert "US" not in distractors(org("NGA"), acr, "The NGA ...", "s")  # a country, not an org


def test_topic_names_count_without_titles_and_per_section() -> None:
    from quiz.generate.askable import core_name, topic_answer, topic_entities
    from quiz.generate.candidates import Span

    def ent(text: str) -> Span:
        return Span("entity", text, 0, len(text), etype="person")

    assert core_name("President Trump") == "Trump"
    assert core_name("the Special Counsel's") == "Special Counsel"
    # "Petrov" is named 8 times, under three titles: one ubiquitous name
    spans = [[ent(t)] for t in ["President Petrov"] * 3 + ["Mr. Petrov"] * 3 + ["Petrov"] * 2]
    spans += [[ent("Ivan Sokolov")]] + [[] for _ in range(20)]
    topic = topic_entities(spans, ["A"] * 9 + ["B"] * 20)
    assert topic_answer("President Petrov", topic)
    assert not topic_answer("Ivan Sokolov", topic)
    # a name in most sentences of one section is that section's topic
    spans = (
        [[ent("Anna Kurz")] for _ in range(4)] + [[] for _ in range(2)] + [[] for _ in range(40)]
    )
    assert "Anna Kurz" in topic_entities(spans, ["Sec1"] * 6 + ["Sec2"] * 40)
    assert "Anna Kurz" not in topic_entities(
        spans[:4] + [[] for _ in range(12)] + spans[6:], ["Sec1"] * 16 + ["Sec2"] * 40
    )


def test_no_gap_on_part_of_a_name_or_spelled_by_dotted_initials() -> None:
    from quiz.generate.candidates import Span
    from quiz.generate.templates.facts import dotted_initials_in, part_of_longer_name

    def span_in(text: str, name: str) -> Span:
        i = text.index(name)
        return Span("entity", name, i, i + len(name), etype="org")

    glued = "Officials met during the Alder Trade Summit in Borovia."
    assert part_of_longer_name(glued, span_in(glued, "Trade Summit"))  # "Alder ____"
    assert part_of_longer_name(glued, span_in(glued, "Alder"))  # "____ Trade Summit"
    free = "The Caspian Energy Council manages it, said President Petrov."
    assert not part_of_longer_name(free, span_in(free, "Caspian Energy Council"))
    assert not part_of_longer_name(free, span_in(free, "Petrov"))  # a title is no part of a name
    assert dotted_initials_in("United States", "the names of U.S. persons")
    assert not dotted_initials_in("United States", "the names of American persons")


def test_prompts_pointing_back_without_a_name_are_vague() -> None:
    from quiz.generate.rank import vague_reference

    assert vague_reference("The Central Asian states were enthusiastic about these projects.")
    assert vague_reference("It remains unclear what Borovia will gain from this ambitious project.")
    assert vague_reference("Last year, trade reached $40 billion.")
    assert not vague_reference("Those who believe Borovia would align with Alderland are wrong.")
    assert not vague_reference("In 2019, trade reached $40 billion.")


def test_overloaded_cards_are_recognised() -> None:
    from quiz.generate.draft import Draft
    from quiz.generate.rank import overloaded

    def draft(kind: str, prompt: str, answer: str) -> Draft:
        return Draft(
            template="cloze",
            kind=kind,
            type="cloze",
            fields={"text": prompt},
            answer=answer,
            quote=prompt,
            quote_start=0,
            section="S",
            line=1,
            block=0,
            sentence_key="k",
        )

    busy = "In 2009 trade was $60 billion; by 2018 it reached ____, and $200 billion is the goal."
    assert overloaded(draft("fact", busy, "$107 billion"))
    assert not overloaded(draft("fact", "Bilateral trade reached ____ in 2018.", "$107 billion"))
    long_clause = " ".join(["word"] * 30)
    assert overloaded(draft("argument", "What qualification ...?", long_clause))
    assert not overloaded(draft("argument", "What explains ...?", "Alderland lowered its tariffs"))


def test_an_office_made_of_titles_is_not_asked_as_a_name() -> None:
    from quiz.generate.askable import askable
    from quiz.generate.candidates import Span

    text = "The order appointing the Special Counsel authorized an inquiry by Ivan Petrov."
    office = text.index("Special Counsel")
    assert not askable(Span("entity", "Special Counsel", office, office + 15, etype="person"), text)
    name = text.index("Ivan Petrov")
    assert askable(Span("entity", "Ivan Petrov", name, name + 11, etype="person"), text)


def test_full_name_of_a_constantly_named_person_is_guessable() -> None:
    from quiz.generate.askable import frequent_person

    frequent = {"Petrov"}
    assert frequent_person("Ivan Petrov", frequent)
    assert frequent_person("President Ivan Petrov", frequent)
    assert not frequent_person("Anna Kurz", frequent)
    assert not frequent_person("Petrov", frequent)  # ubiquity of a bare name is topic_entities' job
    assert not frequent_person("Trade with Petrov", frequent)  # a clause, not a name
    assert not frequent_person("Petrov Energy Council", {"Council"})  # an organisation


def test_keyword_after_its_usual_neighbour_is_a_giveaway() -> None:
    from quiz.generate.askable import collocation
    from quiz.generate.candidates import Span

    doc = "Border trade grew. Border trade fell. Border-trade rules. Tariffs on trade rose."
    text = "Officials counted border trade twice."
    i = text.index("trade")
    assert collocation(Span("term", "trade", i, i + 5), text, doc)
    text2 = "Officials counted grain trade twice."
    j = text2.index("trade")
    assert not collocation(Span("term", "trade", j, j + 5), text2, doc)


def test_prompts_never_open_on_a_leftover_linking_word() -> None:
    from quiz.generate.phrasing import strip_discourse, tidy_opening

    assert tidy_opening("But the Alder Trade Summit opened in 2011.") == (
        "The Alder Trade Summit opened in 2011.",
        4,
    )
    assert strip_discourse(
        "More broadly, Borovia and Alderland are not natural allies."
    ).startswith("Borovia")
    assert strip_discourse("So far, trade has grown.") == "So far, trade has grown."  # not a linker
    assert (
        strip_discourse("First Deputy Minister Petrov spoke.")
        == "First Deputy Minister Petrov spoke."
    )
    text = (
        "TRADE\nBorovia sells grain abroad. However, Borovia overtook Norway as the top source "
        "of Alderland's oil imports in 2016. Thus, in 2017 trade with Norway reached $40 billion.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=50)
    prompts = [
        c.model_dump().get("question")
        or c.model_dump().get("statement")
        or c.model_dump().get("text")
        for c in deck.cards
    ]
    assert prompts
    assert not [p for p in prompts if p.startswith(("However", "Thus", "But"))]


def test_accepted_forms_of_names() -> None:
    from quiz.generate.answers import acronym_map, name_forms, person_forms

    assert person_forms("Xi Jinping") == ["Xi"]  # family name first: never "Jinping" alone
    assert person_forms("Mao Zedong") == ["Mao"]
    assert person_forms("President Vladimir Putin") == ["Vladimir Putin", "Putin"]
    assert person_forms("Robert S. Mueller, III") == ["Mueller"]
    acr = acronym_map(["The Shanghai Cooperation Organization (SCO) was founded in 2001."])
    assert {"SCO", "the SCO"} <= set(name_forms("Shanghai Cooperation Organization", acr))
    assert "Shanghai Cooperation Organization" in name_forms("the SCO", acr)


def test_who_said_is_asked_of_people_not_of_newspapers() -> None:
    text = (
        "POLICY\nAs the Financial Times observed, “no other venture better illustrates the "
        "resilience of Borovia in the face of sanctions.” Minister Ivan Petrov said that "
        "“the pipeline is the backbone of our partnership.” Petrov later resigned over it.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=20)
    answers = [c.canonical_answer for c in deck.cards]
    assert "Ivan Petrov" in answers
    assert (
        "Financial Times" not in answers
    )  # neither "who said" nor "as which organization observed"


def test_recommendations_definitions_and_reported_claims_are_argument_cards() -> None:
    text = (
        "FINDINGS\nMost studies estimate that grain output will peak sometime between now and "
        "2040. Span billing refers to the practice of billing for services over a span of "
        "dates without the dates of service. The collapse of the Alder Bridge led to the "
        "creation of a national inspection program.\n\nRECOMMENDATIONS\nWe recommend that "
        "the Agency take the following actions:\na. Reduce variation in state attendant "
        "standards by establishing minimum federal qualification standards.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=20)
    prompts = {c.prompt: c for c in deck.cards}
    assert "According to most studies, what will grain output do?" in prompts
    assert "According to the report, what does span billing refer to?" in prompts
    assert "According to the report, what did the collapse of the Alder Bridge lead to?" in prompts
    how = (
        "According to the report's recommendations, how should Agency reduce variation in "
        "state attendant standards?"
    )
    assert how in prompts
    assert prompts[how].canonical_answer.lower().startswith("by establishing minimum federal")
    assert all(prompts[p].kind == "argument" for p in prompts if p.startswith("According to"))
    rec = (
        "RECOMMENDATION\nWe recommend that the Secretary of Energy take the lead, in coordination "
        "with other agencies, to establish a strategy for addressing peak oil issues.\n"
    )
    deck, _ = generate(rec, source_name="r.txt", max_cards=5)
    asked = {c.prompt: c.canonical_answer for c in deck.cards}
    assert asked["What does the report recommend that the Secretary of Energy do?"].startswith(
        "Take the lead"
    )


def test_a_dated_event_is_asked_by_its_date() -> None:
    from quiz.generate.candidates import Span
    from quiz.generate.templates.facts import dated_event

    text = "The first is the Caspian Council, founded in 2002 to manage relations in the region."
    i = text.index("2002")
    assert dated_event(Span("year", "2002", i, i + 4, value=2002.0), text)
    calm = "Output of the three largest mills in the northern region reached its level of 2002."
    j = calm.index("2002")
    assert not dated_event(Span("year", "2002", j, j + 4, value=2002.0), calm)


def test_references_are_named_from_the_sentences_before() -> None:
    from quiz.generate.references import resolve

    forum = "The other forum which has persisted is the BRICS, including Borovia and Alderland."
    named = resolve("Since its first meeting in 2009, the grouping has sought a role.", forum)
    assert named.text == "Since its first meeting in 2009, the BRICS has sought a role."
    drill = "In 2019, Borovia held another large exercise, Tsentr (Center) 2019, in the west."
    assert resolve("The exercise also involved troops from India.", drill).text.startswith(
        "The Tsentr (Center) 2019 exercise also involved"
    )
    office = "The report describes what the Special Counsel's Office found."
    assert resolve("The Office charged some of those lies.", "", document=office).text.startswith(
        "The Special Counsel's Office charged"
    )
    # never a wrong name: a modifier, a name in a list, the answer itself, a plural
    pipe = (
        "Gazprom built a gas pipeline, dubbed Power of Siberia. The Alder-Borovia pipeline is old."
    )
    assert resolve("Beijing owns part of the pipeline infrastructure.", pipe).text.endswith(
        "the pipeline infrastructure."
    )
    plan = "The IIJA created the Bridge Formula Program."
    assert resolve("The program is run by ____.", plan, answer="Bridge Formula Program").text == (
        "The program is run by ____."
    )
    vague = resolve("The states were enthusiastic about these projects.", "Nothing named here.")
    assert vague.unresolved == 1 and "these projects" in vague.text


def test_labels_are_not_quantities_and_how_by_is_asked() -> None:
    from quiz.generate.candidates import find_spans

    kinds = {
        s.text for s in find_spans("FAR Part 42.5 encourages a kick-off meeting on a 2×2 chart.")
    }
    assert not {"42.5 encourages", "2 chart"} & kinds
    text = "DESIGN\nDesigning with and for users reduces project risks by ensuring the software solves actual problems.\n"
    deck, _ = generate(text, source_name="t.txt", max_cards=5)
    prompts = [c.prompt for c in deck.cards]
    assert (
        "According to the report, how does designing with and for users reduce project risks?"
        in prompts
    )


def test_an_opening_its_names_the_one_organisation_named_before() -> None:
    text = (
        "BLOCS\nThe first is the Caspian Trade Council (CTC), founded in 2002 to manage trade. "
        "Its original membership consisted of Borovia and Alderland. Its eight members account "
        "for 80% of the region's landmass.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=10)
    prompts = [c.prompt for c in deck.cards]
    assert any(p.startswith("The CTC’s eight members account for") for p in prompts)
    assert not any(p.startswith("Its ") for p in prompts)


def test_an_opening_it_takes_the_name_the_sentence_before_opens_on() -> None:
    text = (
        "FUTURE\nTrade with Borovia grew in 2019.\n\nBorovia can project power on the world stage, but it remains a raw materials "
        "exporter with low growth. It is the junior partner in this relationship, a status "
        "which it appears to have accepted because it believes it can increase its reach. "
        "The Alder Bank lends money. It is unclear whether the loans will be repaid soon.\n"
    )
    deck, _ = generate(text, source_name="t.txt", max_cards=10)
    prompts = [c.prompt for c in deck.cards]
    assert any("why Borovia is the junior partner" in p for p in prompts)
    assert not any("Alder Bank is unclear" in p for p in prompts)  # an empty 'It' stays


def _span(text: str, answer: str, kind: str = "entity") -> object:
    from quiz.generate.candidates import Span

    i = text.index(answer)
    return Span(kind, answer, i, i + len(answer), etype="place")


def test_a_gap_in_the_opening_frame_or_a_side_detail_is_marked() -> None:
    from quiz.generate.templates.facts import in_opening_frame, side_detail

    since = "Since 2009, seven of the eight completed audits have identified over $582 million."
    assert in_opening_frame(since, _span(since, "2009", "year"))
    assert not in_opening_frame(since, _span(since, "$582 million", "money"))
    plain = "The audits identified $582 million in questioned costs in several States since 2009."
    assert not in_opening_frame(plain, _span(plain, "$582 million", "money"))
    paren = "A small team (usually 5-9 people, including developers, writers, and testers) works."
    assert side_detail(paren, _span(paren, "developers"))
    dated = "The number of hearings increased from 28,515 in 1996 to 49,253 in 1998."
    assert side_detail(dated, _span(dated, "1998", "year"))
    assert not side_detail(plain, _span(plain, "$582 million", "money"))


def test_a_list_of_names_is_one_answer_and_one_name_with_and_is_not_a_list() -> None:
    from quiz.generate.build import name_lists
    from quiz.generate.candidates import find_spans

    text = "Russia is expanding its defense ties with countries such as India and Vietnam."
    assert [sp.text for sp in name_lists(text, find_spans(text), [])] == ["India and Vietnam"]
    one_name = "Agencies should default to using Free and Open Source Software for new work."
    assert name_lists(one_name, find_spans(one_name), []) == []
    subject = "Russia and China have held joint exercises every year since 2005."
    assert name_lists(subject, find_spans(subject), []) == []


def test_subject_and_superlative_questions_name_what_they_ask() -> None:
    from quiz.generate.templates.arguments import _names_its_scope, _subject_askable

    assert not _subject_askable("The format", "is", "simple but contains a major shift")
    assert not _subject_askable("CMS generally agreed that more", "needs", "to be done")
    assert not _subject_askable("One important mechanism", "is", "through exclusion of providers")
    assert _subject_askable("The Sino-Russian partnership", "has", "enabled Russia to re-emerge")
    assert not _subject_askable("Another consideration", "is", "the effect of federal funding")
    assert _names_its_scope("The only meaningful measure of success of an Agile project")
    assert _names_its_scope("China’s main economic interest")
    assert not _names_its_scope("The most common requirements")


def test_a_comparison_is_asked_true_or_false_turned_round() -> None:
    report = (
        "Vehicles\n\nHydrogen fuel cell vehicles are significantly more costly than "
        "conventional vehicles to produce. Engineers in several national laboratories keep "
        "working on cheaper membranes for the stacks.\n"
    )
    deck, _ = generate(report, source_name="cars.txt")
    cards = [c for c in deck.cards if c.id.startswith("comparison-")]
    assert len(cards) == 1
    card = cards[0]
    assert isinstance(card, TrueFalseCard)
    if card.answer:
        assert "more costly than" in card.statement
    else:
        assert "less costly than" in card.statement
        assert "more costly than" in (card.explanation or "")


def test_what_x_enabled_y_to_do_is_asked() -> None:
    report = (
        "Partnership\n\nThe Sino-Russian partnership has enabled Russia to re-emerge as an "
        "independent center of international power. Trade between the two neighbours grew "
        "in most years of the decade.\n"
    )
    deck, _ = generate(report, source_name="p.txt")
    asked = {c.prompt: c.canonical_answer for c in deck.cards}
    q = "According to the report, what has the Sino-Russian partnership enabled Russia to do?"
    assert q in asked
    assert asked[q].lower().startswith("re-emerge as an independent center")


def test_a_participle_is_not_a_cause_and_a_modal_subject_must_be_named() -> None:
    report = (
        "Contracts\n\nThe problems caused by not using performance-based methods is especially "
        "acute in software services. A contract should be small enough that the agency "
        "will have no compunction about ending it with a poor vendor.\n"
    )
    deck, _ = generate(report, source_name="c.txt")
    prompts = [c.prompt for c in deck.cards]
    assert not any("what did the problems cause" in p for p in prompts)
    assert not any(p.startswith("According to the report, what should be small") for p in prompts)


def test_a_recommended_action_with_its_intent_is_asked() -> None:
    report = (
        "Recommendations\n\nWe recommend that the Secretary of Energy take the following "
        "actions:\n\nMonitor global supply and demand of oil with the intent of reducing "
        "uncertainty surrounding estimates of the timing of peak oil production.\n"
    )
    deck, _ = generate(report, source_name="r.txt")
    asked = {c.prompt: c.canonical_answer for c in deck.cards}
    q = (
        "According to the report's recommendations, what should the Secretary of Energy do "
        "with the intent of reducing uncertainty surrounding estimates of the timing of peak "
        "oil production?"
    )
    assert q in asked, list(asked)
    assert asked[q].lower() == "monitor global supply and demand of oil"
