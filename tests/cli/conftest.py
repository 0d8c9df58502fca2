"""The command line as an operator runs it, against one store."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.factories import COMMUNITY

if TYPE_CHECKING:
    from infrastructure.stores import Store

NODE = COMMUNITY.value


class Cli:
    """Runs `tierledger` against one store, the way an operator would."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.env = {
            "TIERLEDGER_HOME": str(store.home),
            "TIERLEDGER_DATABASE_URL": store.database_url or "",
            "TIERLEDGER_NAMESPACE": store.namespace,
        }
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> tuple[str, str]:
        result = self.runner.invoke(app, list(args), env=self.env)
        assert result.exit_code == code, (
            result.stdout,
            result.stderr,
            result.exception,
        )
        return result.stdout, result.stderr

    def record(
        self, fact_type: str, data: dict[str, object], code: int = 0
    ) -> tuple[str, str]:
        return self(
            "record",
            NODE,
            fact_type,
            "--data",
            json.dumps(data, ensure_ascii=False),
            code=code,
        )


@pytest.fixture
def cli(store: Store) -> Cli:
    runner = Cli(store)
    runner("init", NODE)
    return runner
