"""Sessions: server-side, owner-only, the id never stored, idle and absolute expiry."""

from __future__ import annotations

import sqlite3
import stat
from typing import TYPE_CHECKING

import pytest

from infrastructure import sessions as module
from infrastructure.sessions import Expiry, SessionStore

if TYPE_CHECKING:
    from pathlib import Path

EXPIRY = Expiry(idle=30 * 60, absolute=12 * 3600)


class Clock:
    """A settable clock standing in for the sessions' own."""

    def __init__(self) -> None:
        self.now = 1_800_000_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(module, "now", found)
    return found


@pytest.fixture
def sessions(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "node" / "sessions.sqlite")


def test_a_session_is_found_by_its_id_which_the_file_does_not_hold(
    sessions: SessionStore, clock: Clock
) -> None:
    session_id = sessions.open("王秀英", "stamp1")
    found = sessions.find(session_id, EXPIRY)
    assert found is not None
    assert (found.account, found.stamp) == ("王秀英", "stamp1")
    # Check the file: owner-only, and a copy of it opens no session.
    assert stat.S_IMODE(sessions.path.stat().st_mode) == 0o600
    with sqlite3.connect(sessions.path) as db:
        stored = db.execute("SELECT digest, csrf FROM sessions").fetchall()
    assert session_id not in str(stored)
    assert sessions.find(stored[0][0], EXPIRY) is None


def test_each_session_has_its_own_csrf_token(sessions: SessionStore) -> None:
    one = sessions.find(sessions.open("王秀英", "s"), EXPIRY)
    two = sessions.find(sessions.open("王秀英", "s"), EXPIRY)
    assert one is not None
    assert two is not None
    assert one.csrf != two.csrf
    assert len(one.csrf) >= 32


def test_a_session_unused_for_longer_than_the_idle_time_ends(
    sessions: SessionStore, clock: Clock
) -> None:
    session_id = sessions.open("王秀英", "s")
    clock.now += 20 * 60
    assert sessions.find(session_id, EXPIRY) is not None  # used: the idle time restarts
    clock.now += 20 * 60
    assert sessions.find(session_id, EXPIRY) is not None
    clock.now += 31 * 60
    assert sessions.find(session_id, EXPIRY) is None
    assert sessions.count("王秀英") == 0


def test_a_busy_session_still_ends_at_its_absolute_expiry(
    sessions: SessionStore, clock: Clock
) -> None:
    session_id = sessions.open("王秀英", "s")
    for _ in range(12 * 3):  # used every 20 minutes for twelve hours
        clock.now += 20 * 60
        assert sessions.find(session_id, EXPIRY) is not None
    clock.now += 20 * 60
    assert sessions.find(session_id, EXPIRY) is None


def test_ending_one_session_or_all_of_an_account(sessions: SessionStore) -> None:
    mine, other, theirs = (
        sessions.open("王秀英", "s"),
        sessions.open("王秀英", "s"),
        sessions.open("李建国", "t"),
    )
    sessions.end(mine)
    assert sessions.find(mine, EXPIRY) is None
    assert sessions.find(other, EXPIRY) is not None
    assert sessions.end_all("王秀英") == 1
    assert sessions.find(other, EXPIRY) is None
    assert sessions.find(theirs, EXPIRY) is not None


def test_purge_removes_only_expired_sessions(
    sessions: SessionStore, clock: Clock
) -> None:
    old = sessions.open("王秀英", "s")
    clock.now += 40 * 60
    new = sessions.open("李建国", "t")
    assert sessions.purge(EXPIRY) == 1
    assert sessions.find(new, EXPIRY) is not None
    assert sessions.find(old, EXPIRY) is None
