"""Cleaning rules of quiz.generate.clean, each on a small synthetic input."""

from __future__ import annotations

from quiz.generate.clean import clean_text
from quiz.generate.sentences import split_sentences


def paragraphs(raw: str) -> list[str]:
    c = clean_text(raw)
    return [c.text[b.start : b.end] for b in c.blocks if b.kind == "paragraph"]


def test_wrapped_lines_are_joined() -> None:
    assert paragraphs("The pipeline began\noperations in 2019.\n") == [
        "The pipeline began operations in 2019."
    ]


def test_paragraph_split_by_a_page_break_is_joined() -> None:
    raw = "Mutual mistrust remains. Nevertheless,\n\nRussia appears to accept its role.\n"
    assert paragraphs(raw) == [
        "Mutual mistrust remains. Nevertheless, Russia appears to accept its role."
    ]


def test_paragraphs_stay_apart_after_a_full_stop() -> None:
    assert len(paragraphs("First paragraph ends here.\n\nSecond one starts.\n")) == 2


def test_real_hyphen_kept_and_line_hyphenation_undone() -> None:
    text = paragraphs("China is the second-\nlargest buyer in the rapidly de-\npopulating east.\n")[
        0
    ]
    assert "second-largest" in text
    assert "depopulating" in text


def test_hyphen_kept_when_both_halves_are_words() -> None:
    text = paragraphs("Cooperation in high-\ntech fields grows.\n")[0]
    assert "high-tech" in text


def test_caps_heading_wrapped_over_two_lines_is_one_section() -> None:
    raw = "FROM THE SPLIT\nTO THE CRISIS\nRelations improved after 2000.\n"
    c = clean_text(raw)
    assert c.blocks[0].kind == "heading"
    assert c.blocks[1].section == "From the Split to the Crisis"


def test_title_case_heading_with_blank_lines() -> None:
    c = clean_text("Trade ends here.\n\nEnergy And Pipelines\n\nGas flows east.\n")
    assert [b.kind for b in c.blocks] == ["paragraph", "heading", "paragraph"]
    assert c.blocks[2].section == "Energy And Pipelines"


def test_footnote_markers_are_stripped() -> None:
    raw = (
        "Trade grew with China.15 Russia overtook Saudi Arabia in 2016.20\n"
        "He said it was “a new level.”3 Then the order?3 The end. 18\n"
    )
    text = paragraphs(raw)[0]
    assert "China. Russia" in text
    assert "in 2016. He" in text
    assert "level.” Then" in text
    assert "order? The" in text
    assert text.endswith("The end.")


def test_decimals_are_not_footnotes() -> None:
    text = paragraphs("There are 6.3 million people and Guccifer 2.0 posted.\n")[0]
    assert "6.3 million" in text and "2.0" in text


def test_urls_page_numbers_and_cid_debris_removed() -> None:
    raw = (
        "This is in response to increased\n\nhttps://example.com/a/b\n pressure on both(cid:173)"
        " countries.\n\n12\n\nNext page text.\n"
    )
    c = clean_text(raw)
    assert "http" not in c.text and "(cid:" not in c.text
    assert "12" not in c.text.split()
    assert "increased pressure on both countries." in c.text


def test_repeated_page_headers_are_removed_even_when_garbled() -> None:
    pages = []
    garbled = [
        "Attorney Work Product // May Contain Material",
        "Atterttey Werk Predttet // Ma~ Cetttaitt Material",
        "AttorAe:y Work Proa1et // Miey CotttaiA Material",
        "Atterrte Werk Predttet // May Cetttairt Material",
    ]
    for i, header in enumerate(garbled):
        pages.append(
            f"\f{header}\n\nU.S. Department of Justice\n\nBody text number {i} ends here.\n\n{i + 1}\n"
        )
    c = clean_text("\n".join(pages))
    assert "Department of Justice" not in c.text
    assert "Material" not in c.text
    assert c.text.count("Body text number") == 4


def test_every_character_maps_to_its_original_line() -> None:
    raw = "HEADING\nfirst line of text\nsecond line of text.\n\nthird line here.\n"
    c = clean_text(raw)
    i = c.text.index("second")
    assert c.line_at(i) == 3
    assert c.line_at(c.text.index("third")) == 5
    assert c.line_at(c.text.index("first")) == 2


def test_sentences_split_after_closing_quotes_and_keep_lines() -> None:
    raw = "Putin said “we are friends.” Then he left.\nXi agreed with him.\n"
    sents = split_sentences(clean_text(raw))
    assert [s.text for s in sents] == [
        "Putin said “we are friends.”",
        "Then he left.",
        "Xi agreed with him.",
    ]
    assert sents[2].line == 2


def test_redaction_debris_marks_a_sentence_noisy() -> None:
    raw = "Beginning in June, llfilllillliliilfll~llliill forecast to officials.\nThe plan was clear.\n"
    sents = split_sentences(clean_text(raw))
    assert sents[0].noisy and not sents[1].noisy


def test_numbered_headings_and_bullets() -> None:
    raw = (
        "1. INTRODUCTION\n\nThe council was founded in 1996.\n\n2. Key Findings\n\n"
        "• Sea ice fell by 13% per decade\n• Traffic rose to 35 million tonnes\n"
    )
    c = clean_text(raw)
    kinds = [(b.kind, b.section) for b in c.blocks]
    assert kinds == [
        ("heading", "Introduction"),
        ("paragraph", "Introduction"),
        ("heading", "Key Findings"),
        ("paragraph", "Key Findings"),
        ("paragraph", "Key Findings"),
    ]
    assert "•" not in c.text


def test_crlf_and_tabs() -> None:
    c = clean_text("First line\tof text\r\ncontinues here.\r\n\r\nNext one.\r\n")
    assert [c.text[b.start : b.end] for b in c.blocks] == [
        "First line of text continues here.",
        "Next one.",
    ]


def test_terminal_escapes_and_controls_removed() -> None:
    c = clean_text("Growth \x1b[31mreached\x1b[0m 5% in\x07 2020.\n")
    assert c.text == "Growth reached 5% in 2020."


def test_extraction_spacing_artefacts_are_closed_and_still_mapped() -> None:
    raw = (
        "Intro line.\n\n"
        "The IRA' s operation grew and the lawyer’ s talk ended .\n"
        "He had dirt on Clinton .in the form of emails , they said; efforts .... As well.\n"
    )
    c = clean_text(raw)
    text = paragraphs(raw)[1]
    assert text == (
        "The IRA's operation grew and the lawyer’s talk ended. "
        "He had dirt on Clinton in the form of emails, they said; efforts .... As well."
    )
    assert c.line_at(c.text.index("IRA's")) == 3
    assert c.line_at(c.text.index("Clinton in")) == 4


def test_ocr_letter_spacing_is_closed() -> None:
    from quiz.generate.clean import clean_text

    c = clean_text("The agency spent $4 0 0 million on the F I N A L phase in 2 0 1 9.\n")
    assert c.text == "The agency spent $400 million on the FINAL phase in 2019."
    # ordinary numbers and lists are left alone
    kept = "Steps 1, 2 and 3 took 12 to 14 days; the U.S. and the U.K. agreed."
    assert clean_text(kept + "\n").text == kept


def test_cross_references_are_not_report_text() -> None:
    from quiz.generate.clean import clean_text

    cases = {
        "PCS are offered in all 50 States. (See Appendix A for related authorities.) States must comply.": "PCS are offered in all 50 States. States must comply.",
        "Performance-based acquisition (see subpart 37.6) is preferred.": "Performance-based acquisition is preferred.",
        "The program grew (see table 2).": "The program grew.",
        "He said (see below) that it grew.": "He said (see below) that it grew.",
    }
    for text, cleaned in cases.items():
        assert clean_text(text + "\n").text == cleaned
