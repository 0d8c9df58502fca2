"""An auditor in a Chinese shell reads why a chain does not hold in Chinese, from
`verify`, `audit verify` and the views' refusal over the broken chain (the reason
is kept as a message); any other shell reads the English it always did."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from domain.codes import NodeCode
from tests.cli.conftest import NODE, Cli
from tests.cli.test_cli_output_languages import DRIVER
from tests.factories import filing
from tests.projections.tampering import Tamperer

NAME = "城东舞蹈队".encode()
COMMANDS = [
    ["verify", NODE],
    ["audit", "verify", NODE],
    ["view", NODE, "registry"],
    ["view", NODE, "registry", "--allow-broken"],
]


def tampered(cli: Cli) -> int:
    """The node with its filing's name edited in the store; the filing's seq."""
    cli.record("OrganizationFiled", filing())
    tamper = Tamperer(cli.store, NodeCode(NODE))
    row = next(r for r in tamper.rows() if NAME in r.state)
    tamper.set_state(row.version, row.state.replace(NAME, "城西舞蹈队".encode()))
    return row.version


def in_locale(cli: Cli, lang: str) -> list[tuple[int, str, str]]:
    """Exit code, stdout and stderr of each command, in a process of ``lang``."""
    quiet = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(COMMANDS)],
        env={**os.environ, **cli.env, **quiet},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [(code, out, err) for code, out, err in json.loads(done.stdout)]


def test_a_chinese_shell_reads_why_the_chain_is_broken_in_chinese(cli: Cli) -> None:
    seq = tampered(cli)
    verified, audited, viewed, forced = in_locale(cli, "zh_CN.UTF-8")
    (code, _, err), (audit_code, audit_out, audit_err) = verified, audited
    reason = f"序号 {seq}：哈希与事实内容不符（数据、类型、序号或时间戳被改动）"
    assert code == 1
    assert f"TAMPERED: 节点 {NODE}：{reason}（共 1 处问题）" in err
    assert "hash does not match" not in err
    assert audit_code == 1
    assert f"已被篡改：{reason}" in audit_out
    assert reason in audit_err
    assert viewed[0] == 4
    assert (
        f"来源节点 {NODE} 的哈希链在序号 {seq} 处损坏：哈希与事实内容不符" in viewed[2]
    )
    # A forced answer's mark keeps its marker for scripts; its reason is Chinese.
    assert forced[1].startswith(
        f"链已损坏 chain broken at origin {NODE} seq {seq}: 哈希与事实内容不符"
    )


def test_another_shell_reads_english(cli: Cli) -> None:
    seq = tampered(cli)
    (code, _, err), _, (view_code, _, refusal), forced = in_locale(cli, "en_US.UTF-8")
    reason = (
        f"seq {seq}: hash does not match the fact's content "
        "(payload, type, seq or timestamp altered)"
    )
    assert code == 1
    assert f"TAMPERED: node {NODE}: {reason} (1 problem(s))" in err
    assert view_code == 4
    assert refusal.startswith(
        f"error[chain-broken]: chain broken at origin {NODE} seq {seq}: "
        "hash does not match the fact's content (payload, type, seq or timestamp "
        "altered); the views do not answer over it"
    )
    assert forced[1].startswith(
        f"链已损坏 chain broken at origin {NODE} seq {seq}: hash does not match"
    )
