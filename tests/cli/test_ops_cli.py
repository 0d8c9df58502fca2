"""Operating a node: its key for the parent, unknown divisions, bad settings files,
and what git leaves alone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from domain.codes import NodeCode
from domain.key_text import PUBLIC_KEY_BYTES, decode_base64, key_fingerprint
from infrastructure.keys import load_key, public_key_text
from tests.cli.conftest import NODE, Cli

if TYPE_CHECKING:
    from infrastructure.stores import Store

ROOT = Path(__file__).parents[2]


def test_key_prints_the_public_key_and_fingerprint_the_parent_enrolls(
    cli: Cli,
) -> None:
    public = public_key_text(load_key(cli.store.key_path(NodeCode(NODE))))
    fingerprint = key_fingerprint(decode_base64(public, PUBLIC_KEY_BYTES, "key"))
    out, _ = cli("key", NODE)
    assert out.splitlines() == [
        f"public key:  {public}",
        f"fingerprint: {fingerprint}",
        f"its parent trusts it with: tierledger enroll 330211001 {NODE} --key {public}",
    ]
    out, _ = cli("key", NODE, "--format", "json")
    assert json.loads(out) == {"node": NODE, "public_key": public,
                               "fingerprint": fingerprint}  # fmt: skip


def test_the_key_printed_is_the_one_the_genesis_fact_announced(cli: Cli) -> None:
    out, _ = cli("key", NODE, "--format", "json")
    log, _ = cli("log", NODE, "--format", "json")
    genesis = json.loads(log.splitlines()[0])
    assert genesis["payload"]["public_key"] == json.loads(out)["public_key"]


def test_the_parent_enrolls_the_printed_key(store_cli: Cli) -> None:
    store_cli("init", "330211001")
    store_cli("init", NODE)
    shown = json.loads(store_cli("key", NODE, "--format", "json")[0])
    out, _ = store_cli("enroll", "330211001", NODE, "--key", shown["public_key"])
    assert out.startswith(f"enrolled {NODE}: seq 2 ")


def test_key_of_a_node_not_here_names_the_folder(cli: Cli) -> None:
    _, err = cli("key", "330211001002", code=2)
    folder = cli.store.home / "330211001002"
    assert err.splitlines() == [
        f"error[node-not-found]: node 330211001002 has no key in {folder}: run "
        "`tierledger init 330211001002` where its store is"
    ]


def test_a_key_file_that_is_not_a_key_is_one_line(cli: Cli) -> None:
    cli.store.key_path(NodeCode(NODE)).write_text("not a key\n", encoding="utf-8")
    _, err = cli("key", NODE, code=2)
    path = cli.store.key_path(NodeCode(NODE))
    assert err.splitlines() == [
        f"error[bad-key-file]: {path} does not hold an Ed25519 private key"
    ]


@pytest.mark.parametrize("code", ["330299001", "330211099", "330203001001"])
def test_init_of_an_unknown_division_says_so(store_cli: Cli, code: str) -> None:
    _, err = store_cli("init", code, code=2)
    assert err.splitlines() == [
        f"error[unknown-division]: division {code} is not in the shipped division "
        "list (the streets of 海曙区 330203, 镇海区 330211, 奉化区 330213, 雨城区 "
        "511802; the communities of 镇海区 330211): check the code, or give the "
        "node's name with --name"
    ]
    assert not store_cli.store.exists(NodeCode(code))


def test_init_of_an_unknown_division_with_its_name(store_cli: Cli) -> None:
    out, _ = store_cli("init", "330203001001", "--name", "南门街道某社区")
    assert out.startswith("initialised community node 330203001001 南门街道某社区:")


def test_a_bad_settings_file_stops_every_command_in_one_line(
    store_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tierledger.env").write_text("PROT=8601\n", encoding="utf-8")
    _, err = store_cli("head", NODE, code=2)
    assert len(err.splitlines()) == 1
    assert err.startswith("error[invalid-setting]: tierledger.env line 1: PROT is not")


def test_git_ignores_the_demo_stores() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "tierledger-demo/330211/ledger.sqlite"],
        cwd=ROOT, check=False,
    )  # fmt: skip
    assert ignored.returncode == 0


@pytest.fixture
def store_cli(store: Store) -> Cli:
    """The command line against a store with no node yet."""
    return Cli(store)
