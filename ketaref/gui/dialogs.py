"""Dialogs: errors, file pickers, preferences, the clinic prompt, About, shortcuts and card lists.

Each family of dialogs has its module (standard_dialogs, preferences_dialog, about_dialog, shortcuts_dialog,
card_list_dialog); the window and its parts import them all from here, and only when a dialog opens, never at
start-up (tests/test_gui_smoke.py checks it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel  # noqa: F401 (the class of the dialogs' labels, looked up as dialogs.QLabel)

from .about_dialog import ABOUT_NOTE_LINES, about_text, show_about
from .card_list_dialog import CardListDialog
from .preferences_dialog import PAPERS, ClinicDialog, PreferencesDialog
from .shortcuts_dialog import ShortcutsDialog
from .standard_dialogs import ask_folder, ask_logo, ask_open_pack, ask_pdf_path, run_modal, show_error, show_info

__all__ = [
    "ABOUT_NOTE_LINES",
    "PAPERS",
    "CardListDialog",
    "ClinicDialog",
    "PreferencesDialog",
    "ShortcutsDialog",
    "about_text",
    "ask_folder",
    "ask_logo",
    "ask_open_pack",
    "ask_pdf_path",
    "run_modal",
    "show_about",
    "show_error",
    "show_info",
]
