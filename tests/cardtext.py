"""Card source text for tests that need cards beyond the four fixture cards."""

from __future__ import annotations

from pathlib import Path


def card_text(
    card_id: str,
    category: str,
    *,
    title: str | None = None,
    audience: str = "clinician",
    summary: str = "A short summary for the test.",
    keywords: tuple[str, ...] = (),
    reviewed: str = "2026-11-20",
    related: tuple[str, ...] = (),
    body: str = "Plain body text.",
) -> str:
    """A valid card file: line 1 is '+++', id on line 2, title 3, category 4, audience 5."""
    quoted = ", ".join(f'"{k}"' for k in keywords)
    links = ", ".join(f'"{r}"' for r in related)
    return (
        "+++\n"
        f'id = "{card_id}"\n'
        f'title = "{title or card_id}"\n'
        f'category = "{category}"\n'
        f'audience = "{audience}"\n'
        f'summary = "{summary}"\n'
        f"keywords = [{quoted}]\n"
        f"reviewed = {reviewed}\n"
        f"related = [{links}]\n"
        "\n"
        "[[sources]]\n"
        'cite = "Test source. J Test. 2020;1:1."\n'
        "+++\n"
        f"{body}\n"
    )


def write_card(source: Path, card_id: str, category: str, **fields: object) -> Path:
    """Write a valid card into source/cards/<category>/<id>.md and return its path."""
    path = source / "cards" / category / f"{card_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(card_text(card_id, category, **fields), "utf-8")  # type: ignore[arg-type]
    return path
