"""`policy adopt`, `reconcile` and `audit` from the command line, on both stores."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.cli.conftest import NODE, Cli
from tests.factories import filing

POLICY = Path(__file__).parents[2] / "testdata" / "zhaobaoshan-policy.toml"
PROGRAM = "基层社会组织活动经费补助"


def paid(org: str, yuan: str, grade: str, on: str = "2024-03-15") -> dict[str, Any]:
    fen = int(yuan) * 100
    return {"org": org, "program": PROGRAM, "period": "2024", "amount_fen": fen,
            "shares_fen": {"street": fen * 6 // 10, "community": fen * 4 // 10},
            "grade_scheme": "class", "grade": grade, "effective_on": on}  # fmt: skip


def graded(cli: Cli, number: str, name: str, grade: str) -> None:
    cli.record("OrganizationFiled", filing(number, name))
    cli.record(
        "GradeEvaluated",
        {
            "org": number,
            "scheme": "class",
            "grade": grade,
            "effective_on": "2023-11-20",
        },
    )


def reconcile(cli: Cli, *args: str, code: int = 0) -> Any:
    out, _ = cli("reconcile", NODE, "--as-of", "2024-12-31", *args, code=code)
    return out


def test_a_paid_class_within_its_band_reconciles_clean(cli: Cli) -> None:
    out, _ = cli("policy", "adopt", NODE, str(POLICY))
    assert out.startswith("seq 2 ")
    graded(cli, "备1", "城东“银龄”舞蹈队", "二类")
    cli.record("SubsidyDecided", paid("备1", "2500", "二类"))
    assert "nothing to report" in reconcile(cli)
    assert json.loads(reconcile(cli, "--format", "json"))["errors"] == 0


def test_an_amount_above_the_band_is_r1_in_every_format(cli: Cli) -> None:
    cli("policy", "adopt", NODE, str(POLICY))
    graded(cli, "备1", "城东“银龄”舞蹈队", "三类")
    cli.record("SubsidyDecided", paid("备1", "3500", "三类"))
    found = json.loads(reconcile(cli, "--format", "json", code=1))
    [r1] = found["discrepancies"]
    assert (r1["rule"], r1["severity"], r1["org_name"]) == (
        "R1",
        "error",
        "城东“银龄”舞蹈队",
    )
    assert r1["evidence"] == [{"origin": NODE, "seq": 5, "type": "SubsidyDecided"}]
    row = next(csv.DictReader(io.StringIO(reconcile(cli, "--format", "csv", code=1))))
    assert row["rule"] == "R1"
    assert row["evidence"] == f"{NODE}#5"
    md = reconcile(cli, "--format", "md", code=1)
    assert "| R1 | error | 城东“银龄”舞蹈队 |" in md
    assert "the decision pays ¥" in reconcile(cli, code=1)  # in the shell's language


def test_a_bad_policy_file_is_refused_naming_the_problem(
    cli: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        POLICY.read_text(encoding="utf-8").replace('"2000", "3000"', '"3000", "2000"'),
        encoding="utf-8",
    )
    _, err = cli("policy", "adopt", NODE, str(bad), code=2)
    assert "min is above max" in err
    bad.write_text("name = [", encoding="utf-8")
    _, err = cli("policy", "adopt", NODE, str(bad), code=2)
    assert "not valid TOML" in err
    _, err = cli("policy", "adopt", NODE, str(tmp_path / "missing.toml"), code=2)
    assert "cannot read" in err
    out, _ = cli("log", NODE, "--format", "json")
    assert [json.loads(line)["type"] for line in out.splitlines()] == ["LedgerOpened"]


def test_audit_timeline_diff_and_verify(cli: Cli) -> None:
    cli("policy", "adopt", NODE, str(POLICY))
    graded(cli, "备1", "城东“银龄”舞蹈队", "二类")
    between = datetime.now(UTC).isoformat()
    cli.record("SubsidyDecided", paid("备1", "2500", "二类"))
    out, _ = cli("audit", "timeline", NODE, "备1", "--format", "json")
    timeline = json.loads(out)
    kinds = [f["type"] for f in timeline["in_knowledge_order"]]
    assert kinds == ["OrganizationFiled", "GradeEvaluated", "SubsidyDecided"]
    out, _ = cli("audit", "diff", NODE, "--from", between,
                 "--to", datetime.now(UTC).isoformat(), "--as-of", "2024-12-31",
                 "--format", "json")  # fmt: skip
    diff = json.loads(out)
    assert [(f["type"], f["seq"]) for f in diff["facts"]] == [("SubsidyDecided", 5)]
    [row, total] = diff["money"]
    assert (row["node_name"], row["period"], row["to"]["total_fen"]) == (
        "城东社区", "2024", 250_000,
    )  # fmt: skip
    assert (total["node"], total["from"]["total_fen"]) == (None, 0)
    out, _ = cli("audit", "verify", NODE)
    assert "ok" in out
    assert NODE in out
