"""Reading cards: `ketaref search` and `ketaref show`."""

from __future__ import annotations

import re

import click

from ..model import AUDIENCES, CATEGORIES, CATEGORY_LABELS
from .common import open_current, user_errors


def _mark(snippet: str) -> str:
    from ..search import unescape

    text = re.sub(r"<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)
    return unescape(text)


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--category", type=click.Choice(CATEGORIES), help="Only cards of this category.")
@click.option("--audience", type=click.Choice(AUDIENCES), help="Only clinician cards or patient handouts.")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Most results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search_cmd(
    ctx: click.Context, query: tuple[str, ...], category: str | None, audience: str | None, limit: int, as_json: bool
) -> None:
    """Search the cards (words match as prefixes; abbreviations and typos are forgiven)."""
    text = " ".join(query)
    with user_errors():
        with open_current(ctx) as pack:
            found = pack.search(text, limit=limit, category=category, audience=audience)
    if as_json:
        import json

        payload = found.as_json()
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if found.corrected_query:
        click.echo(f'Showing results for "{found.corrected_query}" (no card has "{found.replaced}").')
    if found.unmatched and found.matched_query:
        from ..search import relaxed_notice

        click.echo(relaxed_notice(found) + ".")
    if not found.results:
        if text.strip():
            click.echo(f'No cards match "{text}".')
        else:
            click.echo("Nothing to search for: give a word, e.g. ketaref search TRD.", err=True)
        return
    for n, hit in enumerate(found.results, 1):
        badge = "  [patient handout]" if hit.audience == "patient" else ""
        click.echo(f"{n:>2}. {click.style(hit.title, bold=True)}  ({CATEGORY_LABELS[hit.category]}){badge}  {hit.id}")
        click.echo(f"    {_mark(hit.snippet)}")


@click.command("show")
@click.argument("card_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def show_cmd(ctx: click.Context, card_id: str, fmt: str) -> None:
    """Print one card by id."""
    import html

    from ..render import card_document, strip_card_links

    with user_errors():
        with open_current(ctx) as pack:
            card = pack.card(card_id)
            titles = pack.titles()
    if fmt == "html":
        body = card_document(card, titles, review_due=card.review_due())
        head = f'<meta charset="utf-8"><title>{html.escape(card.title)}</title>'
        click.echo(f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>")
        return
    if fmt == "markdown":
        click.echo(card.body)
        return
    click.echo(click.style(card.title, bold=True))
    audience = ", patient handout" if card.is_handout else ""
    click.echo(f"{CATEGORY_LABELS[card.category]}{audience} | {card.id}\n")
    click.echo(card.summary + "\n")
    click.echo(strip_card_links(card.body, titles) + "\n")
    if card.related:
        click.echo("Related: " + ", ".join(card.related) + "\n")
    click.echo("Sources:")
    for n, source in enumerate(card.sources, 1):
        link = source.link()
        click.echo(f"  {n}. {source.cite}" + (f" {link}" if link else ""))
    due = " (due for review)" if card.review_due() else ""
    click.echo(f"\nLast reviewed {card.reviewed.isoformat()}{due}")
