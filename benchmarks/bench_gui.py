"""GUI benchmarks: `ketaref gui --smoke` against a bare PySide6 window, and keystroke-to-results on a big pack.

    python benchmarks/bench_gui.py [--runs 7] [--cards 20000] [--work DIR]

Prints figures; it is not a test. Targets (2-core machine): `ketaref gui --smoke` wall time <= 1.5x a bare
PySide6 window that opens and closes (median of --runs, same run, alternating); no markdown, sqlite_utils,
textstat or nh3 imported at start-up; keystroke-to-results p95 <= 50 ms on a 20,000-card pack while the
keystroke itself never blocks. For reference it also times a plain PySide6 window with the same kinds of
widgets and no KetaRef code (what Qt alone costs for such a window), and that window doing the smoke
check's core work (open the pack, search, render a card) with no KetaRef window code: the least any window
built on the core API can cost. Uses QT_QPA_PLATFORM (default offscreen). --work keeps the generated pack
between runs (building 20,000 cards takes about a minute).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen_corpus import generate  # noqa: E402

KETAREF = Path(sys.executable).parent / "ketaref"
HEAVY = ("markdown", "sqlite_utils", "textstat", "nh3")
BARE_WINDOW = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.setWindowTitle('bare')\n"
    "window.show()\n"
    "QTimer.singleShot(0, window.close)\n"
    "QTimer.singleShot(0, app.quit)\n"
    "app.exec()\n"
)
# The same kinds of widgets as KetaRef's window, filled with stand-in text, with no KetaRef code, pack or search:
# what Qt and PySide alone cost for such a window (its Qt namespace, widget classes, fonts and text layout).
SAME_WIDGETS = (
    "from PySide6.QtCore import QStringListModel, Qt, QTimer\n"
    "from PySide6.QtGui import QAction, QKeySequence\n"
    "from PySide6.QtWidgets import (QApplication, QComboBox, QLabel, QLineEdit, QListView, QMainWindow,\n"
    "    QSplitter, QTextBrowser, QToolBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.setWindowTitle('same widgets')\n"
    "for m in range(6):\n"
    "    menu = window.menuBar().addMenu(f'Menu {m}')\n"
    "    for a in range(5):\n"
    "        action = QAction(f'Action {m}.{a}', window)\n"
    "        action.setShortcut(QKeySequence(f'Ctrl+Shift+{chr(65 + m * 5 + a)}'))\n"
    "        menu.addAction(action)\n"
    "window.addToolBar(QToolBar('tools'))\n"
    "side = QWidget(); box = QVBoxLayout(side)\n"
    "edit = QLineEdit(); edit.setPlaceholderText('Search'); edit.setClearButtonEnabled(True)\n"
    "combo = QComboBox(); combo.addItems([f'Category {i}' for i in range(11)])\n"
    "results = QListView(); results.setModel(QStringListModel([f'Result {i}: a title' for i in range(40)]))\n"
    "for widget in (QLabel('Search:'), edit, combo, results): box.addWidget(widget)\n"
    "browser = QTextBrowser()\n"
    "browser.setHtml(''.join(f'<h2>Section {i}</h2><p>{\"Some words of a card. \" * 30}</p>'\n"
    "    f'<ul><li>One point</li><li>Another point</li></ul>' for i in range(8)))\n"
    "tree = QTreeWidget(); tree.setHeaderHidden(True)\n"
    "tree.addTopLevelItems([QTreeWidgetItem([f'Section {i}']) for i in range(8)])\n"
    "splitter = QSplitter(Qt.Orientation.Horizontal)\n"
    "for widget in (side, browser, tree): splitter.addWidget(widget)\n"
    "window.setCentralWidget(splitter)\n"
    "window.statusBar().showMessage('ready')\n"
    "window.resize(1100, 700)\n"
)
SHOW_AND_CLOSE = "window.show()\nQTimer.singleShot(0, window.close)\nQTimer.singleShot(0, app.quit)\napp.exec()\n"
# The smoke check's core work on the same widgets, still with no KetaRef window code: open the default pack, search
# "ketamine", list the titles, render the first card into the browser. What the smoke check cannot do without.
CORE_WORK = (
    "from ketaref.defaults import resolve_pack\n"
    "from ketaref.render import card_document\n"
    "from ketaref.store import open_pack\n"
    "pack = open_pack(resolve_pack(None))\n"
    "found = pack.search('ketamine', 50)\n"
    "results.setModel(QStringListModel([hit.title for hit in found.results]))\n"
    "card = pack.card(found.results[0].id)\n"
    "browser.setHtml(card_document(card, pack.titles(), review_due=card.review_due()))\n"
)
TYPED = ["ketamine", "blood pressure", "esketamine dose", "dissociation", "monitoring", "suicidal", "contra",
         "spravato", "bipolar", "pregnancy", "infusion", "interaction"]  # fmt: skip


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def startup(runs: int, env: dict[str, str]) -> None:
    """Median wall time of the smoke check against a bare window, alternating, after one warm-up each."""
    smoke = [str(KETAREF), "gui", "--smoke"]
    bare = [sys.executable, "-c", BARE_WINDOW]
    same = [sys.executable, "-c", SAME_WIDGETS + SHOW_AND_CLOSE]
    core = [sys.executable, "-c", SAME_WIDGETS + CORE_WORK + SHOW_AND_CLOSE]
    timed(smoke, env)  # builds the default pack into the scratch cache once; not counted
    for warm_up in (bare, same, core):
        timed(warm_up, env)
    smoke_times, bare_times, same_times, core_times = [], [], [], []
    for _ in range(runs):
        bare_times.append(timed(bare, env))
        smoke_times.append(timed(smoke, env))
        same_times.append(timed(same, env))
        core_times.append(timed(core, env))
    s, b, w, c = (statistics.median(times) for times in (smoke_times, bare_times, same_times, core_times))
    print(f"start-up ({runs} runs, platform {env['QT_QPA_PLATFORM']}):")
    print(f"  bare PySide6 window open+close  median {b * 1000:7.1f} ms")
    print(f"  ketaref gui --smoke             median {s * 1000:7.1f} ms   ratio {s / b:.2f}x (target <= 1.5x)")
    print(f"  same widgets, no KetaRef code   median {w * 1000:7.1f} ms   ratio {w / b:.2f}x to the bare window;")
    print(f"                                  ketaref gui --smoke is {s / w:.2f}x this")
    print(f"  same widgets + core work        median {c * 1000:7.1f} ms   ratio {c / b:.2f}x to the bare window")
    print("    (the smoke's pack, search and card through the core API; no KetaRef window code)")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ketaref.cli", "gui", "--smoke"],
        env=env,
        capture_output=True,
        text=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    heavy = [name for name in HEAVY if name in imported]
    print(f"  heavy modules imported at start-up (python -X importtime): {', '.join(heavy) or 'none'}")


def big_pack(cards: int, work: Path) -> Path:
    """A pack of generated cards, kept in work/ for the next run."""
    from ketaref.pack import build

    pack = work / f"gen-{cards}.sqlite"
    if not pack.exists():
        source = work / f"gen-{cards}"
        start = time.perf_counter()
        generate(source, cards)
        build(source, pack)
        print(f"built a {cards:,}-card pack in {time.perf_counter() - start:.0f} s: {pack}")
    return pack


def keystrokes(pack_path: Path, scratch: Path) -> None:
    """Type queries key by key in the real window; time each key's event and the wait until its results show."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ketaref.gui.settings import Settings
    from ketaref.gui.window import MainWindow
    from ketaref.store import open_pack

    if QApplication.instance() is None:
        QApplication([])
    from PySide6.QtCore import qInstallMessageHandler

    from ketaref.gui.app import _qt_message

    qInstallMessageHandler(_qt_message)  # Qt's notices go to the log, as in the app, not into the figures
    window = MainWindow(open_pack(pack_path), Settings(scratch / "settings.ini"))
    window.show()
    panel = window.search_panel

    def wait_for_results() -> None:
        if panel.up_to_date:
            return
        loop = QEventLoop()
        panel.results_shown.connect(loop.quit)
        QTimer.singleShot(5000, loop.quit)
        loop.exec()
        panel.results_shown.disconnect(loop.quit)

    wait_for_results()
    blocked, latency = [], []
    for text in TYPED:
        panel.edit.clear()
        wait_for_results()
        for char in text:
            start = time.perf_counter()
            QTest.keyClick(panel.edit, char)
            typed = time.perf_counter()
            wait_for_results()
            latency.append((time.perf_counter() - start) * 1000)
            blocked.append((typed - start) * 1000)
    window.close()

    pack = open_pack(pack_path)
    core = []
    for text in TYPED:
        for n in range(1, len(text) + 1):
            start = time.perf_counter()
            pack.search(text[:n], limit=50)
            core.append((time.perf_counter() - start) * 1000)
    cards = pack.info()["cards"]
    pack.close()
    print(f"keystroke to results on a {cards:,}-card pack ({len(latency)} keystrokes):")
    for label, values, target in (
        ("key event handled (GUI thread busy) ", blocked, ""),
        ("results on screen                    ", latency, " (target <= 50 ms)"),
        ("core Pack.search alone, same prefixes", core, ""),
    ):
        print(f"  {label}  median {statistics.median(values):6.2f} ms  p95 {pct(values, 0.95):6.2f} ms{target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--work", type=Path, help="folder to keep the generated pack in (default: a temporary one)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ketaref-bench-gui-") as tmp:
        scratch = Path(tmp)
        env = dict(os.environ, KETAREF_CACHE_DIR=str(scratch / "cache"), KETAREF_DATA_DIR=str(scratch / "data"))
        env.pop("KETAREF_PACK", None)
        startup(args.runs, env)
        work = args.work or scratch
        work.mkdir(parents=True, exist_ok=True)
        keystrokes(big_pack(args.cards, work), scratch)


if __name__ == "__main__":
    main()
