"""On PostgreSQL, `init` creates the database when the role may, else says who can."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql

from infrastructure.stores import Store
from tests.cli.conftest import NODE, Cli
from tests.conftest import DATABASE_URL, require_postgres

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.postgres


def admin(statement: sql.Composed) -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(statement)


def database_exists(name: str) -> bool:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


@pytest.fixture
def database() -> Iterator[str]:
    """A database name of this test's own, dropped afterwards if it was made."""
    require_postgres()
    name = f"tl_ops_{uuid.uuid4().hex[:10]}"
    yield name
    admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)))  # fmt: skip


@pytest.fixture
def role() -> Iterator[str]:
    """A role that may log in but not create databases, dropped afterwards."""
    require_postgres()
    name = f"tl_ops_{uuid.uuid4().hex[:10]}"
    admin(sql.SQL("CREATE ROLE {} LOGIN NOCREATEDB").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        owned = conn.execute(
            "SELECT datname FROM pg_database WHERE datdba = "
            "(SELECT oid FROM pg_roles WHERE rolname = %s)",
            (name,),
        ).fetchall()
    for (database,) in owned:  # made for it in the test, by the "administrator"
        admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
            sql.Identifier(database)))  # fmt: skip
    admin(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def url_of(database: str, role: str | None = None) -> str:
    base = DATABASE_URL.rsplit("/", 1)[0]
    if role is not None:
        base = base.replace("postgres@", f"{role}@", 1)
    return f"{base}/{database}"


def test_init_creates_a_missing_database(tmp_path: Path, database: str) -> None:
    cli = Cli(Store(tmp_path / "home", url_of(database), "east_"))
    assert not database_exists(database)
    out, _ = cli("init", NODE)
    assert out.startswith(f"initialised community node {NODE} 城东社区:")
    assert database_exists(database)
    out, _ = cli("head", NODE)
    assert '"seq": 1' in out


def test_a_command_on_a_missing_database_says_to_init(
    tmp_path: Path, database: str
) -> None:
    cli = Cli(Store(tmp_path / "home", url_of(database)))
    _, err = cli("head", NODE, code=2)
    host = DATABASE_URL.split("@", 1)[1].rsplit("/", 1)[0]
    assert err.splitlines() == [
        f"error[node-not-found]: node {NODE} has no ledger in "
        f"postgresql://{host}/{database}; run `tierledger init {NODE}`"
    ]
    assert not database_exists(database)


def test_a_role_that_may_not_create_it_gets_the_statement_to_ask_for(
    tmp_path: Path, database: str, role: str
) -> None:
    cli = Cli(Store(tmp_path / "home", url_of(database, role)))
    _, err = cli("init", NODE, code=3)
    assert err.splitlines() == [
        f"error[unavailable]: database {database} does not exist and role {role} "
        f"may not create it: ask a PostgreSQL administrator to run CREATE DATABASE "
        f'"{database}" OWNER "{role}"'
    ]
    assert not database_exists(database)
    # Nothing was left behind: once the administrator has run it, init works.
    admin(sql.SQL("CREATE DATABASE {} OWNER {}").format(
        sql.Identifier(database), sql.Identifier(role)))  # fmt: skip
    out, _ = cli("init", NODE)
    assert out.startswith("initialised community node")


def test_an_unreachable_server_is_still_said_so(tmp_path: Path) -> None:
    require_postgres()
    cli = Cli(Store(tmp_path / "home", "postgresql://postgres@127.0.0.1:1/x"))
    _, err = cli("init", NODE, code=3)
    assert err.startswith("error[store-unavailable]: cannot reach PostgreSQL:")
    assert not (tmp_path / "home" / NODE / "node.key").exists()
