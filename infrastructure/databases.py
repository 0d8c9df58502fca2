"""A node's PostgreSQL database: made on first use, when the role may make it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import make_conninfo

from domain.errors import UnavailableError
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Iterator

    from psycopg.rows import TupleRow

MAINTENANCE = ("postgres", "template1")
"""Where to connect to create a database (as ``createdb`` does)."""


def database_name(url: str) -> str:
    """The database a URL names (``postgres`` when it names none)."""
    return unquote(urlsplit(url).path.lstrip("/")) or "postgres"


def ensure_database(url: str) -> bool:
    """Create the URL's database if it does not exist and the role may (True when
    it did); UnavailableError, with the statement an administrator can run, if the
    role may not. Any other reason the database cannot be reached is raised as is."""
    try:
        psycopg.connect(url).close()
    except psycopg.OperationalError as error:
        unreachable = error
    else:
        return False
    with _maintenance(url) as conn:
        if conn is None or _exists(conn, database_name(url)):
            raise unreachable  # not a missing database: the server said why
        return _create(conn, database_name(url))


def database_missing(url: str) -> bool:
    """True when the server answers and holds no database of the URL's name."""
    with _maintenance(url) as conn:
        return conn is not None and not _exists(conn, database_name(url))


@contextlib.contextmanager
def _maintenance(url: str) -> Iterator[psycopg.Connection[TupleRow] | None]:
    """A connection to a maintenance database, with the URL's role; None if none."""
    for name in MAINTENANCE:
        try:
            conn = psycopg.connect(make_conninfo(url, dbname=name), autocommit=True)
        except psycopg.OperationalError:
            continue
        with conn:
            yield conn
        return
    yield None


def _exists(conn: psycopg.Connection[TupleRow], name: str) -> bool:
    found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    return found.fetchone() is not None


def _create(conn: psycopg.Connection[TupleRow], name: str) -> bool:
    try:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except errors.DuplicateDatabase:
        return False  # another process made it meanwhile
    except errors.InsufficientPrivilege:
        role = conn.execute("SELECT current_user").fetchone()
        raise UnavailableError(
            Text(
                "database {database} does not exist and role {role} may not create "
                'it: ask a PostgreSQL administrator to run CREATE DATABASE "{database}"'
                ' OWNER "{role}"',
                database=name,
                role=role[0] if role else "?",
            )
        ) from None
    return True
