"""`python -m cli` runs the `tierledger` command."""

from cli.main import run

run()
