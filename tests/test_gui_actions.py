"""The action table: no shortcut is bound twice where both could fire."""

from __future__ import annotations

from ketaref.gui.actions import ACTIONS, Scope, key_sequences


def test_no_shortcut_is_ambiguous(qapp) -> None:  # type: ignore[no-untyped-def]
    seen: dict[tuple[str, Scope], str] = {}
    for act, spec in ACTIONS.items():
        for sequence in key_sequences(spec):
            key = sequence.toString()
            clashes = [
                other
                for (k, scope), other in seen.items()
                if k == key and (scope is Scope.WINDOW or spec.scope is Scope.WINDOW or scope is spec.scope)
            ]
            assert not clashes, f"{key} is bound to {act.name} and {clashes}"
            seen[(key, spec.scope)] = act.name


def test_every_action_has_text_and_a_tip() -> None:
    for act, spec in ACTIONS.items():
        assert spec.text.strip(), act
        assert spec.tip.strip(), act
