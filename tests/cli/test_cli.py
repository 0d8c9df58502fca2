"""The command line, end to end, on both stores."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.cli.conftest import NODE, Cli
from tests.factories import COMMUNITY, filing, subsidy
from tests.projections.tampering import Tamperer

if TYPE_CHECKING:
    from pathlib import Path


def test_init_names_the_node_from_the_shipped_data(cli: Cli) -> None:
    out, _ = cli("head", NODE)
    assert json.loads(out)["seq"] == 1
    out, _ = cli("log", NODE, "--format", "json")
    assert json.loads(out)["payload"]["node_name"] == "城东社区"
    assert (cli.store.key_path(COMMUNITY).stat().st_mode & 0o777) == 0o600
    _, err = cli("init", NODE, code=2)
    assert err.startswith("error[node-exists]")


def test_chinese_round_trips_through_record_log_and_show(cli: Cli) -> None:
    data = filing(
        "镇民备〔2024〕001号",
        name="城东社区“银龄”志愿服务队（试点）",
        category="公益慈善",
        venue="党群服务中心二楼",
    )
    out, _ = cli.record("OrganizationFiled", data)
    assert out.startswith("seq 2 ")
    logged = [
        json.loads(line)
        for line in cli("log", NODE, "--format", "json")[0].splitlines()
    ]
    assert logged[1]["payload"]["name"] == data["name"]
    assert logged[1]["payload"]["filing_number"] == "镇民备〔2024〕001号"
    shown = json.loads(cli("show", NODE, "镇民备〔2024〕001号", "--format", "json")[0])
    assert (shown["name"], shown["details"]["venue"]) == (
        data["name"],
        "党群服务中心二楼",
    )
    table, _ = cli("log", NODE)
    assert "城东社区“银龄”志愿服务队（试点）" in table


def test_personal_data_is_masked_unless_asked_for(cli: Cli) -> None:
    cli.record(
        "OrganizationFiled",
        filing("备1", responsible_person={"name": "王秀英", "phone": "13805741234"}),
    )
    masked, _ = cli("log", NODE, "--format", "json")
    assert "13805741234" not in masked
    assert "138****1234" in masked
    full, _ = cli("log", NODE, "--format", "json", "--with-personal-data")
    assert "13805741234" in full


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [
                "record",
                NODE,
                "OrganizationRegistered",
                "--data",
                '{"uscc": "51100000500002862A", "name": "x", '
                '"legal_form": "social_group"}',
            ],
            "error[invalid-uscc]: USCC '51100000500002862A': "
            "check character should be F, not A",
        ),
        (
            ["head", "33021100101"],
            "error[invalid-node-code]: node code '33021100101' has 11 digits",
        ),
        (["record", NODE, "Nonsense", "--data", "{}"], "error[unknown-fact-type]"),
        (
            [
                "record",
                NODE,
                "OrganizationFiled",
                "--data",
                '{"filing_number": "1", "name": "x", "category": "y", "colour": "red"}',
            ],
            "error[unknown-field]: OrganizationFiled has no field(s) colour",
        ),
        (
            ["record", NODE, "OrganizationFiled", "--data", "{not json"],
            "error[invalid-field]: --data is not JSON",
        ),
        (["show", NODE, "nobody"], "error[unknown-organization]"),
        (["head", "330211001002"], "error[node-not-found]"),
    ],
)
def test_bad_input_gets_one_specific_line_and_exit_2(
    cli: Cli, args: list[str], expected: str
) -> None:
    _, err = cli(*args, code=2)
    assert err.startswith(expected)
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ('"-1"', "is negative"),
        ("1e3", "floats are never accepted"),
        ('"1e3"', "no exponents"),
        ('"0.001"', "at most two decimals"),
        ("-1", "yuan decimal string"),
    ],
)
def test_bad_amounts_are_refused(cli: Cli, amount: str, message: str) -> None:
    cli.record("OrganizationFiled", filing("备1"))
    data = (
        '{"org": "备1", "program": "p", "period": "2024", "amount": '
        + amount
        + ', "shares": {"street": "1"}}'
    )
    _, err = cli("record", NODE, "SubsidyDecided", "--data", data, code=2)
    assert err.startswith("error[invalid-amount]")
    assert message in err


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_with_one_bad_line_among_many_records_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    good = [
        json.dumps(
            {"type": "OrganizationFiled", "data": filing(f"备{i}", name=f"舞蹈队{i}")},
            ensure_ascii=False,
        )
        for i in range(1, 300)
    ]
    lines = [
        *good[:150],
        '{"type": "OrganizationFiled", "data": {"name": "缺字段"}}',
        *good[150:],
        "not json at all",
    ]
    _, err = cli("import", NODE, str(write_jsonl(tmp_path / "f.jsonl", lines)), code=2)
    assert (
        "error[missing-field]: line 151: OrganizationFiled needs field filing_number"
        in err
    )
    assert "error[invalid-field]: line 301: line is not JSON" in err
    assert json.loads(cli("head", NODE)[0])["seq"] == 1
    out, _ = cli("import", NODE, str(tmp_path / "f.jsonl"), "--partial", code=2)
    assert "recorded 299 of 301 facts, head seq 300" in out


def test_import_records_a_whole_file(cli: Cli, tmp_path: Path) -> None:
    lines = [
        json.dumps({"type": t, "data": d}, ensure_ascii=False)
        for t, d in [
            ("OrganizationFiled", filing("备1")),
            ("SubsidyDecided", subsidy("备1")),
        ]
    ]
    out, _ = cli("import", NODE, str(write_jsonl(tmp_path / "f.jsonl", lines)))
    assert "recorded 2 of 2 facts, head seq 3" in out
    out, _ = cli("verify", NODE)
    assert out.startswith("ok: node 330211001001, 3 facts")


def test_verify_exits_1_naming_the_first_bad_seq(cli: Cli) -> None:
    cli.record("OrganizationFiled", filing("备1", name="城东舞蹈队"))
    cli.record("OrganizationFiled", filing("备2"))
    tamper = Tamperer(cli.store, COMMUNITY)
    row = tamper.rows()[1]
    tamper.set_state(2, row.state.replace("舞蹈".encode(), "合唱".encode()))
    _, err = cli("verify", NODE, code=1)
    assert err.startswith("TAMPERED: node 330211001001: seq 2: hash does not match")


def test_registry_and_show_tables(cli: Cli) -> None:
    cli.record("OrganizationFiled", filing("备1", name="城东舞蹈队"))
    out, _ = cli("registry", NODE)
    assert "城东舞蹈队" in out
    assert "filed" in out
    out, _ = cli("show", NODE, "备1")
    assert "OrganizationFiled" in out


def test_demo_builds_verifies_and_can_run_again(tmp_path: Path) -> None:
    runner = CliRunner()
    home = tmp_path / "demo"
    for _ in range(2):
        result = runner.invoke(
            app, ["demo", "--home", str(home)], env={"TIERLEDGER_DATABASE_URL": ""}
        )
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "GET /audit/verify: ok (330211:" in result.stdout
        assert "城东社区" in result.stdout
        for rule in ("R1", "R2", "R3", "R4"):
            assert f"│ {rule} " in result.stdout
    (tmp_path / "mine").mkdir()
    result = runner.invoke(app, ["demo", "--home", str(tmp_path / "mine")])
    assert result.exit_code == 2
    assert "is not a demo folder" in result.stderr
