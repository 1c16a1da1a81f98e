"""Qt tests run offscreen; the ``window`` fixture is a main window on the real test lake."""

import os
import threading
import time
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from keyring.backends import fail  # noqa: E402

from planet_gui.core.auth.token_store import TokenStore  # noqa: E402
from planet_gui.core.profile import load_profile  # noqa: E402
from planet_gui.core.session import Session  # noqa: E402
from planet_gui.qt.main_window import MainWindow  # noqa: E402
from tests.conftest import Lake, write_profile  # noqa: E402
from tests.support.login import logged_in  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    """Each test starts from no saved settings (window geometry, splitter, bandwidth cap), as on a first run:
    a window closed by one test must not shape the next one."""
    from PySide6.QtCore import QSettings

    QSettings().clear()


#: how long a finished test's threads get to end before they count as left running (closing a window stops its
#: uploads, waiting for the requests in flight)
DANGLING_WAIT = 10.0


def _ours(thread: threading.Thread) -> bool:
    """Threads a test must not leave behind: the upload engine's pools and any other non-daemon thread, the
    folder watcher's (a daemon, which would die with the process instead of stopping)."""
    return not thread.daemon or thread.name.startswith("planet-watch")


@pytest.fixture(autouse=True)
def _no_dangling_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves Qt's pool busy or threads of its own running once it ended and its widgets closed
    (as napari's ``_dangling_qthreads``): a worker still running reaches into the next test's window, an upload
    thread keeps sending. Set up before the test's other fixtures (autouse, asking for none), so it looks after
    their teardown: qtbot has closed the windows, which stops their uploads."""
    from PySide6.QtCore import QThreadPool

    before = set(threading.enumerate())
    yield
    pool_idle = QThreadPool.globalInstance().waitForDone(int(DANGLING_WAIT * 1000))
    deadline = time.monotonic() + DANGLING_WAIT
    left = [t for t in threading.enumerate() if t not in before and _ours(t)]
    for thread in left:
        thread.join(max(0.0, deadline - time.monotonic()))
    still = sorted(t.name for t in left if t.is_alive())
    problems = ([] if pool_idle else [f"Qt's thread pool still had {QThreadPool.globalInstance().activeThreadCount()} "
                                      f"task(s) running {DANGLING_WAIT:.0f} s after the test"])
    if still:
        problems.append(f"threads started by the test still run {DANGLING_WAIT:.0f} s after it: {', '.join(still)}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture()
def window(qtbot, lake: Lake, hook, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    profile = load_profile(write_profile(tmp_path / "gui-lake.toml", lake.oidc, lake.s3))
    session = Session(profile, token_store=TokenStore("gui-test", backend=fail.Keyring()))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win




@pytest.fixture()
def offline_window(qtbot) -> MainWindow:  # noqa: ANN001
    """A main window on the example profile, with no server behind it: for what works offline."""
    from planet_gui.core.resources import resource_path

    session = Session(load_profile(resource_path("profiles", "local-test.toml")),
                      token_store=TokenStore("offline", backend=fail.Keyring()))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture(scope="module")
def alice(lake: Lake) -> Session:
    """alice logs in once (the device flow polls for seconds); every session of the module restores that login."""
    return logged_in(lake.profile_path)


def sign_in(qtbot, window: MainWindow, alice: Session, journal: Path) -> None:  # noqa: ANN001
    """The window restores alice's login, as at start-up, on a session of its profile with its own journal."""
    session = Session(window.session.profile, token_store=alice.tokens_store)
    session.configure_transfers(journal_path=journal)
    window.switch_session(session)
    qtbot.waitUntil(lambda: window.identity is not None, timeout=30_000)
