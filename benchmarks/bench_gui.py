"""GUI benchmarks: the first visible window under X11 against a bare PySide6 window and peers; keystroke to results.

    python benchmarks/bench_gui.py [--runs 11] [--cards 20000] [--work DIR] [--wall]

Prints figures; it is not a test. Start-up: each program is started in turn under one X server (a private Xvfb
unless --display names one) and timed from process start to its first mapped top-level window: `ketaref gui`,
a bare PySide6 window, a window of the same kinds of widgets with no KetaRef code, and `zeal` and `goldendict`
when they are installed. The window list is watched through X events
(MapNotify on the root window, as `xdotool search --sync --onlyvisible` polls for), so no poller competes for the
CPU. Targets (2-core machine): `ketaref gui` within 1.2x the bare window in the same run (1.05x is the aim),
median of --runs, alternating; keystroke-to-results p95 <= 50 ms on a 20,000-card pack while the keystroke itself
never blocks. --wall adds the older offscreen figures (`ketaref gui --smoke` wall time, open to close, against
the bare window). --work keeps the generated pack between runs (building 20,000 cards takes about a minute).
Needs Xvfb and libX11 (apt-get install -y xvfb x11-utils libxcb-cursor0; zeal and goldendict optional).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import select
import shutil
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
# Left open until the benchmark ends it: the time measured is to its first mapped window.
BARE_OPEN = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.setWindowTitle('bare')\n"
    "window.show()\n"
    "app.exec()\n"
)
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
    "from ketaref.packchoice import resolve_pack\n"
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


MAP_NOTIFY, SUBSTRUCTURE_NOTIFY_MASK = 19, 1 << 19


class _Event(ctypes.Structure):
    """XMapEvent, padded to the size of an XEvent."""

    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("event", ctypes.c_ulong), ("window", ctypes.c_ulong),
                ("override_redirect", ctypes.c_int), ("pad", ctypes.c_long * 24)]  # fmt: skip


class WindowWatch:
    """Watches one X display for top-level windows being mapped."""

    def __init__(self, display: str) -> None:
        x11 = ctypes.util.find_library("X11")
        if not x11:
            raise SystemExit("bench_gui needs libX11 (apt-get install -y xvfb x11-utils)")
        self.x = ctypes.CDLL(x11)
        self.x.XOpenDisplay.restype = ctypes.c_void_p
        self.x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x.XDefaultRootWindow.restype = ctypes.c_ulong
        for name in ("XDefaultRootWindow", "XConnectionNumber", "XPending", "XFlush"):
            getattr(self.x, name).argtypes = [ctypes.c_void_p]
        self.x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self.x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.dpy = self.x.XOpenDisplay(display.encode())
        if not self.dpy:
            raise SystemExit(f"cannot open X display {display}")
        self.x.XSelectInput(self.dpy, self.x.XDefaultRootWindow(self.dpy), SUBSTRUCTURE_NOTIFY_MASK)
        self.x.XFlush(self.dpy)
        self.fd = self.x.XConnectionNumber(self.dpy)

    def _events(self, until: float) -> list[tuple[float, _Event]]:
        """The events that arrive before the deadline (perf_counter), each with the time it was read."""
        event = _Event()
        while time.perf_counter() < until:
            if not self.x.XPending(self.dpy):
                select.select([self.fd], [], [], max(0.0, min(0.05, until - time.perf_counter())))
                continue
            self.x.XNextEvent(self.dpy, ctypes.byref(event))
            return [(time.perf_counter(), event)]
        return []

    def first_window(self, args: list[str], env: dict[str, str], timeout: float = 30.0) -> float:
        """Start args; seconds from the start to its first mapped top-level window. The process is then ended
        (it is not asked to close: what it does after showing its window is not timed)."""
        while self.x.XPending(self.dpy):  # windows of the program before
            self.x.XNextEvent(self.dpy, ctypes.byref(_Event()))
        start = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mapped = 0.0
        try:
            deadline = start + timeout
            while not mapped:
                events = self._events(deadline)
                if not events:
                    raise SystemExit(f"no window within {timeout:.0f} s: {' '.join(args)}")
                now, event = events[0]
                if event.type == MAP_NOTIFY and not event.override_redirect:
                    mapped = now
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return mapped - start


def xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb server and its display name."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("bench_gui needs Xvfb (apt-get install -y xvfb x11-utils libxcb-cursor0), or --display")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise SystemExit("Xvfb did not start")
    return server, f":{number}"


def first_window(runs: int, env: dict[str, str], display: str) -> None:
    """Process start to first mapped window: ketaref gui, the bare window and the peers, alternating."""
    env = dict(env, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    peer_env = dict(env, QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox", HOME=env["KETAREF_DATA_DIR"] + "-home")
    programs: dict[str, tuple[list[str], dict[str, str]]] = {
        "bare PySide6 window": ([sys.executable, "-c", BARE_OPEN], env),
        "ketaref gui": ([str(KETAREF), "gui"], env),
        "same widgets, no KetaRef code": ([sys.executable, "-c", SAME_WIDGETS + "window.show()\napp.exec()\n"], env),
    }
    for peer in ("zeal", "goldendict"):
        found = shutil.which(peer)
        if found:
            programs[peer] = ([found], peer_env)
    watch = WindowWatch(display)
    subprocess.run([str(KETAREF), "gui", "--smoke"], env=env, check=True, capture_output=True)  # builds the pack
    for args, program_env in programs.values():  # warm-up: caches, first-run set-up of the peers
        watch.first_window(args, program_env)
    mapped: dict[str, list[float]] = {name: [] for name in programs}
    for run in range(runs):
        names = list(programs)
        if run % 2:
            names.reverse()
        for name in names:
            args, program_env = programs[name]
            mapped[name].append(watch.first_window(args, program_env) * 1000)
    bare = "bare PySide6 window"
    bare_median, bare_min = statistics.median(mapped[bare]), min(mapped[bare])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"first visible window under X11 ({runs} runs, display {display}; process start to first mapped window;")
    print(f"  load average {load:.1f}; ratios of the medians, of the minimums, and the median of each run's ratio)")
    for name in programs:
        median, least = statistics.median(mapped[name]), min(mapped[name])
        paired = statistics.median(t / b for t, b in zip(mapped[name], mapped[bare], strict=True))
        ratio = (
            ""
            if name == bare
            else f"  ratio {median / bare_median:.2f}x, min {least / bare_min:.2f}x, run {paired:.2f}x"
        )
        target = " (target <= 1.2x)" if name == "ketaref gui" else ""
        print(f"  {name:29} median {median:6.1f} ms  min {least:6.1f} ms{ratio}{target}")


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
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--work", type=Path, help="folder to keep the generated pack in (default: a temporary one)")
    parser.add_argument("--display", help="an X display to measure on (default: a private Xvfb)")
    parser.add_argument("--wall", action="store_true", help="also time `ketaref gui --smoke` open to close, offscreen")
    parser.add_argument("--only", choices=("start", "keys"), help="only the start-up or only the keystroke figures")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="ketaref-bench-gui-") as tmp:
        scratch = Path(tmp)
        env = dict(os.environ, KETAREF_CACHE_DIR=str(scratch / "cache"), KETAREF_DATA_DIR=str(scratch / "data"))
        env.pop("KETAREF_PACK", None)
        if args.only != "keys":
            server, display = (None, args.display) if args.display else xvfb()
            try:
                first_window(args.runs, env, display)
            finally:
                if server is not None:
                    server.terminate()
                    server.wait()
            if args.wall:
                startup(args.runs, dict(env, QT_QPA_PLATFORM="offscreen"))
        if args.only != "start":
            work = args.work or scratch
            work.mkdir(parents=True, exist_ok=True)
            keystrokes(big_pack(args.cards, work), scratch)


if __name__ == "__main__":
    main()
