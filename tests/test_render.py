"""Markdown to sanitised HTML and plain text, and the whole-card document."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ketaref.model import Card, Source
from ketaref.render import card_document, html_to_text, markdown_to_html, strip_card_links

TITLES = {"mon-session": "Monitoring a session", "dose-esketamine": "Esketamine dosing"}


def render(body: str) -> str:
    return markdown_to_html(body, TITLES.get)


@pytest.mark.parametrize(
    ("body", "banned"),
    [
        ("<script>alert('x')</script>Text", "<script"),
        ("<script>alert('x')</script>Text", "alert"),
        ('<iframe src="https://example.org"></iframe>Text', "<iframe"),
        ('<a href="https://example.org" onclick="steal()">x</a>', "onclick"),
        ('<div onmouseover="steal()">x</div>', "onmouseover"),
        ("<svg onload=alert(1)>", "onload"),
        ("[run](javascript:alert(1))", "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">run</a>', "javascript:"),
        ("[run](vbscript:msgbox)", "vbscript:"),
        ("[open](file:///etc/passwd)", "file:"),
        ("[data](data:text/html,hi)", "data:"),
        ("![pixel](https://example.org/p.png)", "<img"),
        ('<img src="https://example.org/p.png">', "<img"),
        ('<img src="https://example.org/p.png">', "example.org"),
        ("<style>body { display: none }</style>Text", "<style"),
        ('<form action="https://example.org"><input name="q"></form>', "<input"),
        ('<object data="x.swf"></object>', "<object"),
        ("<!-- hidden note -->Text", "hidden note"),
    ],
)
def test_sanitised(body: str, banned: str) -> None:
    assert banned not in render(body).lower()


def test_the_text_around_removed_markup_stays() -> None:
    assert "<p>Plain words.</p>" == render("<script>alert(1)</script>Plain words.").strip()


def test_web_and_mail_links_stay() -> None:
    assert '<p><a href="https://example.org/x">site</a> <a href="mailto:a@b.org">mail</a></p>' == render(
        "[site](https://example.org/x) [mail](mailto:a@b.org)"
    )


def test_wiki_link_uses_the_card_title_as_text() -> None:
    rendered = render("See [[mon-session]].")
    assert re.search(r'<a href="card:mon-session"[^>]*>Monitoring a session</a>', rendered), rendered


def test_wiki_link_to_a_card_without_title_shows_the_id() -> None:
    assert re.search(r'<a href="card:mon-other"[^>]*>mon-other</a>', render("See [[mon-other]]."))


def test_card_url_link_keeps_its_text_and_scheme() -> None:
    assert '<p>Recheck <a href="card:mon-session">later</a>.</p>' == render("Recheck [later](card:mon-session).")


def test_table() -> None:
    rendered = render("| Dose | Time |\n|---|---|\n| 0.5 mg/kg | 40 min |")
    assert "<table>" in rendered
    assert "<th>Dose</th>" in rendered
    assert "<td>0.5 mg/kg</td>" in rendered


def test_tick_boxes_render_as_box_characters() -> None:
    rendered = render("- [ ] Blood pressure checked\n- [x] Consent signed")
    assert "\u2610</span> Blood pressure checked" in rendered
    assert "\u2611</span> Consent signed" in rendered
    assert "[ ]" not in rendered and "[x]" not in rendered


def test_plain_text_ends_each_block_as_a_sentence() -> None:
    text = html_to_text(render("## Before the session\n\n- Eat lightly\n- Bring a driver\n\nArrive early"))
    assert "Before the session.\nEat lightly.\nBring a driver.\nArrive early." == text


def test_plain_text_of_tick_boxes_and_tables_with_each_cell_under_its_column_heading() -> None:
    text = html_to_text(
        render("- [ ] Consent signed\n\n| Dose | Time |\n|---|---|\n| 0.5 mg/kg | 40 min |\n| - | 1 h |")
    )
    assert "Consent signed.\nDose: 0.5 mg/kg.\nTime: 40 min.\nTime: 1 h." == text


def test_plain_text_keeps_existing_punctuation() -> None:
    assert "Is it safe?\nYes!" == html_to_text(render("Is it safe?\n\nYes!"))


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # what search snippets once showed: "Treat BP first. See." "Dosing schedule:. Approvals:."
        ("Treat BP first. See [[mon-session]].", "Treat BP first."),
        (
            "- **Dosing schedule:** [[dose-esketamine]]. **Approvals:** [[mon-session]].\n- Check the label.",
            "Check the label.",
        ),
        ("Raise the dose slowly; see [[dose-esketamine]] and [[mon-session]].", "Raise the dose slowly."),
        ("Record each dose on the [[mon-session]]; monitor as on [[mon-session]].", "Record each dose; monitor."),
        ("Weigh it, and often defer: see [[mon-session]]. Then act.", "Weigh it, and often defer. Then act."),
        (
            "For more on half-life, see [[dose-esketamine]].\n\nSee [[mon-session]] for timings.\n\nKeep going.",
            "Keep going.",
        ),
        ("| Drug | Effect |\n|---|---|\n| Lorazepam | - |", "Drug: Lorazepam."),
        ("Both are stop items on [[mon-session]]: a stroke.", "Both are stop items: a stroke."),
        ("Added to the label (see [[mon-session]]).", "Added to the label."),
        ("Added to the REMS, see [[mon-session]] for what is confirmed.", "Added to the REMS."),
    ],
)
def test_plain_text_drops_the_words_that_only_pointed_at_a_card_link(body: str, text: str) -> None:
    assert text == html_to_text(render(body))


def test_plain_text_leaves_colons_and_small_words_alone_when_no_link_was_dropped() -> None:
    body = "Adds up with: opioids and alcohol.\n\nEU label: see a doctor on the day. Ask the."
    assert "Adds up with: opioids and alcohol.\nEU label: see a doctor on the day. Ask the." == html_to_text(
        render(body)
    )


def test_strip_card_links_for_plain_display() -> None:
    assert "See mon-session and later." == strip_card_links("See [[mon-session]] and [later](card:mon-session).")
    titles = {"mon-session": "Session monitoring"}
    assert "See Session monitoring." == strip_card_links("See [[mon-session]].", titles)


def make_card(**fields: object) -> Card:
    values: dict[str, object] = {
        "id": "handout-test",
        "title": "Going <home> & resting",
        "category": "handouts",
        "audience": "patient",
        "summary": "Rest & drink <water>.",
        "body": "Body.",
        "body_html": "<p>Body.</p>",
        "reviewed": dt.date(2026, 11, 20),
        "related": ("mon-session",),
        "sources": (Source("Leaflet. 2025.", pmid="123"),),
    }
    values.update(fields)
    return Card(**values)  # type: ignore[arg-type]


def test_card_document_on_screen() -> None:
    document = card_document(make_card(), TITLES)
    assert '<h1 class="title">Going &lt;home&gt; &amp; resting</h1>' in document
    assert "Rest &amp; drink &lt;water&gt;." in document
    assert "Patient handout" in document
    assert '<a href="card:mon-session">Monitoring a session</a>' in document
    assert "Leaflet. 2025." in document
    assert "https://pubmed.ncbi.nlm.nih.gov/123/" in document
    assert "Last reviewed 2026-11-20" in document


def test_card_document_marks_a_review_due_above_the_summary_and_at_the_end() -> None:
    document = card_document(make_card(), TITLES, review_due=True)
    assert "(due for review)" in document.split("Last reviewed 2026-11-20")[-1]
    top = document.split('class="summary"')[0]
    assert "Due for review: last reviewed 2026-11-20, over 18 months ago" in top
    assert "due for review" not in card_document(make_card(), TITLES).lower()
    assert "due for review" not in card_document(make_card(), TITLES, review_due=True, print_mode=True).lower()


def test_related_cards_are_a_list_of_card_links() -> None:
    document = card_document(make_card(related=("mon-session", "dose-esketamine")), TITLES)
    assert (
        '<ul class="related"><li><a href="card:mon-session">Monitoring a session</a></li>'
        '<li><a href="card:dose-esketamine">Esketamine dosing</a></li></ul>'
    ) in document


def test_printed_handout_has_no_sources_or_related_cards() -> None:
    document = card_document(make_card(), TITLES, print_mode=True)
    assert "Going &lt;home&gt; &amp; resting" in document
    assert "Leaflet. 2025." not in document
    assert "card:mon-session" not in document


def test_printed_clinician_card_keeps_its_sources() -> None:
    card = make_card(audience="clinician", category="dosing")
    assert "Leaflet. 2025." in card_document(card, TITLES, print_mode=True)


def test_category_audience_and_review_date_are_on_the_line_under_the_title() -> None:
    document = card_document(make_card(), TITLES)
    title, meta = document.splitlines()[:2]
    assert title.startswith('<h1 class="title">')
    assert '<p class="meta">Patient handouts &middot; Patient handout &middot; Last reviewed 2026-11-20</p>' == meta
    clinician = card_document(make_card(audience="clinician", category="dosing"), TITLES).splitlines()[1]
    assert "Dosing &middot; For clinicians &middot; Last reviewed 2026-11-20" in clinician
    printed = card_document(make_card(audience="clinician", category="dosing"), TITLES, print_mode=True)
    assert '<p class="meta">Dosing</p>' in printed  # on paper each page's footer carries the date


def test_greater_or_equal_signs_are_typeset_in_text_but_not_in_tags() -> None:
    body = '<p>eGFR &gt;= 30 and age &lt;= 65</p><p><a href="https://x.org/?a>=1">x &gt;= y</a></p>'
    document = card_document(make_card(body_html=body, summary="Keep SBP >= 100 and <= 160."), TITLES)
    assert "eGFR \u2265 30 and age \u2264 65" in document
    assert "Keep SBP \u2265 100 and \u2264 160." in document
    assert 'href="https://x.org/?a>=1"' in document
    assert "x \u2265 y" in document
