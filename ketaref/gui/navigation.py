"""Back/forward history, recently viewed cards and bookmarks, as lists of card ids (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_HISTORY = 100
MAX_RECENT = 20


@dataclass
class Navigation:
    """Where the user has been: the current card, the back and forward stacks, recent cards, bookmarks."""

    current: str = ""
    back: list[str] = field(default_factory=list)
    forward: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)

    def visit(self, card_id: str) -> None:
        """A card opened by a search, a link or a list: the forward stack is dropped."""
        if card_id == self.current:
            return
        if self.current:
            self.back = (self.back + [self.current])[-MAX_HISTORY:]
        self.forward = []
        self.current = card_id
        self._seen(card_id)

    def go_back(self) -> str | None:
        """The card before the current one, which becomes current; None at the start."""
        if not self.back:
            return None
        self.forward = [self.current, *self.forward][:MAX_HISTORY] if self.current else self.forward
        self.current = self.back.pop()
        self._seen(self.current)
        return self.current

    def go_forward(self) -> str | None:
        """The card after the current one, which becomes current; None at the end."""
        if not self.forward:
            return None
        if self.current:
            self.back = (self.back + [self.current])[-MAX_HISTORY:]
        self.current = self.forward.pop(0)
        self._seen(self.current)
        return self.current

    def toggle_bookmark(self, card_id: str) -> bool:
        """Add or remove a bookmark; True when the card is now bookmarked."""
        if card_id in self.bookmarks:
            self.bookmarks.remove(card_id)
            return False
        self.bookmarks.append(card_id)
        return True

    def _seen(self, card_id: str) -> None:
        self.recent = [card_id, *(r for r in self.recent if r != card_id)][:MAX_RECENT]
