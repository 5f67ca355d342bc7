"""The action table: no shortcut is bound twice where both could fire, and every row reaches its slot."""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

import pytest

from ketaref.gui.actions import ACTIONS, Act, Scope, SlotError, key_sequences
from ketaref.gui.window import MainWindow


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


def owner_class(window: object, slot: str) -> type:
    """The class whose method a table row names: the window's, or one of its parts'."""
    path, _, _name = slot.rpartition(".")
    return type(attrgetter(path)(window) if path else window)


def test_every_action_reaches_the_slot_its_table_row_names(qtbot, make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    first = make_window()
    owners = {act: owner_class(first, spec.slot) for act, spec in ACTIONS.items()}
    first.close()
    reached: list[tuple[str, tuple[object, ...]]] = []
    with monkeypatch.context() as patch:
        for act, spec in ACTIONS.items():
            name = spec.slot.rpartition(".")[2]
            patch.setattr(owners[act], name, lambda _self, *args, slot=spec.slot: reached.append((slot, args)))
        window = make_window()  # its actions are connected to the recording slots
    for act, spec in ACTIONS.items():
        action = window.actions_[act]
        action.setEnabled(True)  # Back, Forward and Roll back start disabled
        reached.clear()
        action.trigger()
        assert [(spec.slot, spec.args)] == reached, act
    assert len(ACTIONS) == len({(spec.slot, spec.args) for spec in ACTIONS.values()})  # no two rows do the same


def test_a_missing_slot_stops_the_window_at_start_up(qtbot, pack, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delattr(MainWindow, "about")
    with pytest.raises(SlotError, match="ABOUT.*'about'"):
        MainWindow(pack)


@pytest.mark.parametrize(
    ("slot", "args", "problem"),
    [("abuot", (), "no slot 'abuot'"), ("printing.print_packt", (), "no 'print_packt'"),
     ("search_panel.step", (), "does not fit"), ("banner", (), "not a method")],
)  # fmt: skip
def test_a_misspelt_slot_or_wrong_arguments_stop_the_window_at_start_up(
    qtbot, pack, monkeypatch: pytest.MonkeyPatch, slot: str, args: tuple[object, ...], problem: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ACTIONS, Act.ABOUT, replace(ACTIONS[Act.ABOUT], slot=slot, args=args))
    with pytest.raises(SlotError, match=problem):
        MainWindow(pack)
