"""Where a node's ledger lives: an SQLite file (default) or a PostgreSQL schema."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import eventsourcing.persistence
import psycopg
from psycopg import sql

from domain.application import Ledger
from domain.errors import NodeNotFoundError
from domain.messages import Text
from infrastructure.databases import database_missing, ensure_database
from infrastructure.files import private_file
from infrastructure.witness_file import WitnessFile

if TYPE_CHECKING:
    from pathlib import Path

    from domain.codes import NodeCode
    from domain.ports import HeldOrganizations, Verifier
    from infrastructure.settings import Settings

DATA_ERRORS: tuple[type[Exception], ...] = (
    psycopg.DataError,
    sqlite3.DataError,
    eventsourcing.persistence.DataError,
)
"""What the stores raise for a value they cannot hold (NUL in PostgreSQL text, a
number out of a column's range): caused by a value that came in, never by the store."""


POOL_SIZE = 8
"""Most PostgreSQL connections one open node holds, unless set (``POOL_SIZE``)."""
VIEW_CONNECTIONS = 2
"""Of a node's PostgreSQL connections, those its views hold; the ledger the rest."""
OPEN_AT_ONCE = 2
"""Ledger connections opened with the node; the others when load asks for them."""


@dataclass(frozen=True)
class Store:
    """The store configuration of every node on this machine."""

    home: Path
    database_url: str | None = None
    namespace: str = ""
    """Prefix of PostgreSQL schema names, so several networks can share a database."""
    pool_size: int = POOL_SIZE
    """Most PostgreSQL connections one open node holds, its views' included."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store the settings describe."""
        return cls(
            settings.home,
            settings.database_url,
            settings.namespace,
            settings.pool_size,
        )

    def node_dir(self, node: NodeCode) -> Path:
        """The node's folder: its SQLite file and its private key."""
        return self.home / node.value

    def key_path(self, node: NodeCode) -> Path:
        """Where the node's private key lives."""
        return self.node_dir(node) / "node.key"

    def witnesses(self, node: NodeCode) -> WitnessFile:
        """Where the node keeps its parent's latest receipt (beside its key)."""
        return WitnessFile(self.node_dir(node) / "witness.json")

    def schema(self, node: NodeCode) -> str:
        """The PostgreSQL schema of a node."""
        return f"{self.namespace}node_{node.value}"

    def exists(self, node: NodeCode) -> bool:
        """True if this node has a store here."""
        if self.database_url is None:
            return (self.node_dir(node) / "ledger.sqlite").exists()
        try:
            conn = psycopg.connect(self.database_url, autocommit=True)
        except psycopg.OperationalError:
            if database_missing(self.database_url):
                return False  # `init` creates it
            raise
        with conn:
            found = conn.execute(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                (self.schema(node),),
            ).fetchone()
        return found is not None

    def open_ledger(
        self,
        node: NodeCode,
        *,
        create: bool = False,
        shared: bool = False,
        verifier: Verifier | None = None,
        held: HeldOrganizations | None = None,
    ) -> Ledger:
        """The node's Ledger application; ``create`` makes its store if missing.
        (A bare ledger: a node with its sync and views comes from
        ``service.node.open_node``.)

        ``shared``: other processes may write this node meanwhile (a long-running
        server next to CLI commands), so the cached journal catches up before each use.
        """
        if not create and not self.exists(node):
            raise NodeNotFoundError(
                Text(
                    "node {node} has no ledger in {place}; run `tierledger init "
                    "{node}`",
                    node=node,
                    place=self.describe(),
                )
            )
        if create:
            self._create(node)
        env = self.ledger_env(node)
        if shared:
            env["AGGREGATE_CACHE_FASTFORWARD"] = "y"
        return Ledger(node, env=env, verifier=verifier, held=held)

    def ensure_database(self) -> None:
        """On PostgreSQL, create the URL's database if it is missing and the role
        may (``infrastructure/databases.py``); else UnavailableError, with a hint."""
        if self.database_url is not None:
            ensure_database(self.database_url)

    def describe(self) -> str:
        """Where the stores are, without credentials."""
        if self.database_url is None:
            return str(self.home)
        parts = urlsplit(self.database_url)
        return f"postgresql://{parts.hostname}:{parts.port or 5432}{parts.path}"

    def ledger_env(self, node: NodeCode) -> dict[str, str]:
        """The eventsourcing environment of the node's Ledger application."""
        if self.database_url is None:
            path = self.node_dir(node) / "ledger.sqlite"
            return {
                "PERSISTENCE_MODULE": "infrastructure.recorders:LedgerSQLiteFactory",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        parts = urlsplit(self.database_url)
        ledger = self.pool_size - VIEW_CONNECTIONS
        return {
            "PERSISTENCE_MODULE": "infrastructure.recorders:LedgerPostgresFactory",
            # A bounded pool: its size is what the server must reserve per node.
            "POSTGRES_POOL_SIZE": str(min(OPEN_AT_ONCE, ledger)),
            "POSTGRES_MAX_OVERFLOW": str(ledger - min(OPEN_AT_ONCE, ledger)),
            "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_SCHEMA": self.schema(node),
        }

    def _create(self, node: NodeCode) -> None:
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.node_dir(node).mkdir(mode=0o700, exist_ok=True)
        self.node_dir(node).chmod(0o700)  # its key may have made it first
        if self.database_url is None:
            private_file(self.node_dir(node) / "ledger.sqlite")
        else:
            self.ensure_database()
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(self.schema(node))
                    )
                )

    def drop(self, node: NodeCode) -> None:
        """Remove a node's PostgreSQL schema (tests and demos only)."""
        if self.database_url is not None:
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(self.schema(node))
                    )
                )
