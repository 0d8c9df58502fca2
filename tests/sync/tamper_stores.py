"""Both stores for the tamper table when run as a program (the tests use fixtures)."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from infrastructure.stores import Store
from tests.conftest import DATABASE_URL

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def stores() -> Iterator[dict[str, Store]]:
    """SQLite in a temporary folder, and PostgreSQL in throwaway schemas."""
    namespace = f"t{uuid.uuid4().hex[:10]}_"
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        yield {
            "SQLite": Store(home / "sqlite"),
            "PostgreSQL": Store(home / "pg", DATABASE_URL, namespace=namespace),
        }
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE %s",
            (namespace + "%",),
        ).fetchall()
        for (schema,) in rows:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
