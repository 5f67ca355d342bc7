"""`ketaref gui --smoke` opens, searches, shows a card and exits 0, without heavy imports at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from packversions import make_pack

# Loaded only when used: building packs, printing, pack updates, the dialogs.
HEAVY = (
    "markdown", "sqlite_utils", "textstat", "nh3", "PySide6.QtPrintSupport", "html.parser", "hashlib",
    "ketaref.updates", "ketaref.gui.update_dialog", "ketaref.gui.dialogs", "ketaref.pack", "ketaref.handout",
)  # fmt: skip


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)


def test_gui_smoke_exits_zero(pack_path: Path, tmp_path: Path) -> None:
    done = run(["-m", "ketaref.cli", "--pack", str(pack_path), "gui", "--smoke"], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "Traceback" not in done.stderr


def test_gui_smoke_on_a_bad_pack_exits_one_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"nope")
    done = run(["-m", "ketaref.cli", "--pack", str(bad), "gui", "--smoke"], tmp_path)
    assert 1 == done.returncode
    assert "not a KetaRef pack" in done.stderr
    assert "Traceback" not in done.stderr


def test_start_up_imports_nothing_heavy(pack_path: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ketaref.gui.app import run\n"
        f"status = run({str(pack_path)!r}, smoke=True)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(status)\n"
    )
    done = run(["-c", code], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "[]" == done.stdout.strip().splitlines()[-1]


def test_gui_smoke_never_looks_for_pack_updates(
    pack_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "updates"
    folder.mkdir()
    make_pack(folder / "ketaref-9.0.sqlite", "9.0", add=True)
    monkeypatch.setenv("KETAREF_UPDATES", str(folder))
    code = (
        "import sys\n"
        "from ketaref.gui import update_dialog\n"
        "from ketaref.gui.app import run\n"
        "looked = []\n"
        "update_dialog.UpdateCheck.start = lambda self, *args: looked.append(args) or 0\n"
        f"status = run({str(pack_path)!r}, smoke=True)\n"
        "print('looked', len(looked))\n"
        "sys.exit(status)\n"
    )
    done = run(["-c", code], tmp_path)
    assert 0 == done.returncode, done.stderr
    assert "looked 0" == done.stdout.strip().splitlines()[-1]
