"""Shared fixtures: hypothesis profiles and the two stores contract tests run on."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from infrastructure.stores import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

DATABASE_URL = os.environ.get(
    "TIERLEDGER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_reason() -> str | None:
    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        first = (
            str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        )
        return f"PostgreSQL not reachable at {DATABASE_URL}: {first}"


_PG_REASON = _postgres_reason()


def require_postgres() -> None:
    """Skip with a clear reason on a laptop; fail under CI=true (PostgreSQL must be)."""
    if _PG_REASON is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {_PG_REASON}")
    pytest.skip(_PG_REASON)


@contextmanager
def _pg_store_in(folder: Path) -> Iterator[Store]:
    """A PostgreSQL store whose node schemas are dropped afterwards."""
    require_postgres()
    namespace = f"t{uuid.uuid4().hex[:10]}_"
    yield Store(folder, DATABASE_URL, namespace=namespace)
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE %s",
            (namespace + "%",),
        ).fetchall()
        for (schema,) in rows:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    """A PostgreSQL store whose node schemas belong to this test and are dropped."""
    with _pg_store_in(tmp_path) as found:
        yield found


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    """An SQLite store in a fresh folder."""
    return Store(tmp_path / "home")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Store:
    """Each contract test runs once per store."""
    name = "sqlite_store" if request.param == "sqlite" else "pg_store"
    found = request.getfixturevalue(name)
    assert isinstance(found, Store)
    return found


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def module_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One store of each kind shared by a module's tests (tests that change nothing)."""
    folder = tmp_path_factory.mktemp("store")
    if request.param == "sqlite":
        yield Store(folder / "home")
        return
    with _pg_store_in(folder) as found:
        yield found
