"""Translated cards: a card's version in another language and back to the English card (for the CLI and the GUI)."""

from __future__ import annotations

from typing import Protocol

from .errors import KetarefError, NotFoundError
from .model import LANG_LABELS, Card, translation_id

LANG_NAMES = {"en": "English", "es": "Spanish"}  # in an English message


class CardSource(Protocol):
    """What a translation is looked up in: an open pack."""

    def card(self, card_id: str) -> Card:
        """One card by id; NotFoundError when the pack does not hold it."""
        ...


def english_id(card: Card) -> str:
    """The id of a card's English version: its own for an English card, translation_of for a translation."""
    return card.translation_of or card.id


def version(pack: CardSource, card: Card, lang: str) -> Card | None:
    """The card in lang: itself, the English card it translates, or its translation; None when there is none."""
    if card.lang == lang:
        return card
    base = english_id(card)
    wanted = base if lang == "en" else translation_id(base, lang)
    try:
        found = pack.card(wanted)
    except NotFoundError:
        return None
    return found if found.lang == lang and (lang == "en" or found.translation_of == base) else None


def required_version(pack: CardSource, card: Card, lang: str) -> Card:
    """version(), or a KetarefError of one line naming the card and the language when there is none."""
    found = version(pack, card, lang)
    if found is None:
        name = LANG_NAMES.get(lang, lang)
        raise KetarefError(
            f"'{card.id}' has no {name} version ({translation_id(english_id(card), lang)} is not in "
            "the pack). Nothing was written."
        )
    return found


def languages(pack: CardSource, card: Card) -> list[Card]:
    """The card's versions, English first, then each translation the pack holds (one card: no translation)."""
    return [found for lang in LANG_LABELS if (found := version(pack, card, lang)) is not None]
