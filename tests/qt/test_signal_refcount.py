"""PySide6 must not leak or drop references when Python emits signals.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` on every emit (and ``beginInsertRows`` /
``endInsertRows`` to ``None``); after a few hundred to a few thousand emits the interpreter aborts with
"Fatal Python error: bool_dealloc" (seen typing a Source with 200 rows selected) or "none_dealloc" at exit.
``pyproject.toml`` pins ``PySide6-Essentials<6.12`` for that reason. Under 6.12.0 and Python 3.11 these tests
fail (the process aborts in the first one); under 6.11.3 they pass.

The emits run in a child process, so that an abort is a failed test with the interpreter's own message rather
than a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import PySide6

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, Signal

    app = QCoreApplication([])

    class Emitter(QObject):
        as_object = Signal(object)
        as_bool = Signal(bool)
        as_int = Signal(int)
        as_str = Signal(str)
        as_pair = Signal(object, object)

    class Model(QAbstractListModel):
        def __init__(self):
            super().__init__()
            self.rows = 0
        def rowCount(self, parent=QModelIndex()):
            return self.rows
        def data(self, index, role=0):
            return None
        def add(self):
            self.beginInsertRows(QModelIndex(), self.rows, self.rows)
            self.rows += 1
            self.endInsertRows()
            self.dataChanged.emit(self.index(self.rows - 1), self.index(self.rows - 1))

    seen = []
    emitter = Emitter()
    for signal in (emitter.as_object, emitter.as_bool, emitter.as_int, emitter.as_str):
        signal.connect(lambda value: seen.append(1))
    emitter.as_pair.connect(lambda a, b: seen.append(1))
    model = Model()
    model.rowsInserted.connect(lambda *args: seen.append(1))

    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    N = 20_000
    for i in range(N):
        emitter.as_object.emit({"i": i})
        emitter.as_object.emit(None)
        emitter.as_bool.emit(True)
        emitter.as_bool.emit(i % 2 == 0)
        emitter.as_int.emit(i)
        emitter.as_str.emit("x")
        emitter.as_pair.emit(True, None)
    for _ in range(N // 4):
        model.add()
    true_after, none_after = sys.getrefcount(True), sys.getrefcount(None)
    print(len(seen), true_before, true_after, none_before, none_after)
    """
)


def test_signal_emits_keep_true_and_none_alive() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=240,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, (
        f"the interpreter died emitting signals under PySide6 {PySide6.__version__} "
        f"(Python {sys.version.split()[0]}): {done.stderr[-2000:]}"
    )
    seen, true_before, true_after, none_before, none_after = map(int, done.stdout.split())
    assert seen == 20_000 * 7 + 5_000
    # A leak of a few references is tolerable; what kills the interpreter is a count that falls with every emit.
    assert true_after >= true_before - 10, (true_before, true_after)
    assert none_after >= none_before - 10, (none_before, none_after)
