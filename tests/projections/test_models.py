"""The read models: documented field by field, frozen, Chinese kept, marks only
where a chain is broken."""

from __future__ import annotations

import importlib
import pkgutil

import pydantic
import pytest

import projections.models
from projections.chain_status import ChainBreak
from projections.models.base import ReadModel, marks
from projections.models.registry import GradeHeld, Organization, SubsidyCount
from projections.models.rollup import Rollup
from projections.view import Point


def read_models() -> list[type[ReadModel]]:
    """Every read model the package defines."""
    found: list[type[ReadModel]] = []
    for info in pkgutil.iter_modules(projections.models.__path__):
        module = importlib.import_module(f"projections.models.{info.name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, ReadModel)
            and value.__module__ == module.__name__
        ]
    return found


def organization(name: str) -> Organization:
    return Organization(
        org_id="o1", name=name, status="registered", legal_form="social_group",
        uscc=None, filing_number="招宝山备2024-001", filing_node="330211001001",
        category="文体活动", community="330211001001", filed_on="2024-03-01",
        registered_on=None, registered_at=None, upgraded_on=None, closed_on=None,
        home="330211001001",
        grades={"class": GradeHeld(grade="二类", passed=True,
                                   evaluated_on="2024-11-20", valid_until=None,
                                   expired=False, by="330211001", seq=3)},
        subsidies=SubsidyCount(count=1, total_fen=250_000),
    )  # fmt: skip


@pytest.mark.parametrize("model", read_models(), ids=lambda m: m.__name__)
def test_every_read_model_documents_itself_and_every_field(
    model: type[ReadModel],
) -> None:
    assert (model.__doc__ or "").strip()
    undocumented = [k for k, f in model.model_fields.items() if not f.description]
    assert undocumented == []


def test_a_read_model_is_frozen_and_refuses_unknown_fields() -> None:
    org = organization("城东“银龄”舞蹈队")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        org.name = "别的"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="extra"):
        Organization.model_validate({**org.model_dump(), "nickname": "舞蹈队"})


def test_chinese_text_and_fen_round_trip_through_json() -> None:
    org = organization("城东“银龄”舞蹈队")
    text = org.model_dump_json()
    assert "城东“银龄”舞蹈队" in text  # UTF-8, not \\u escapes
    assert Organization.model_validate_json(text) == org
    assert org.model_dump(mode="json")["subsidies"] == {
        "count": 1,
        "total_fen": 250_000,
    }


def test_a_marked_answer_leads_with_its_breaks_and_an_intact_one_has_none() -> None:
    counts = {"filed": 0, "registered": {}, "registered_total": 0,
              "deregistered": 0, "revoked": 0, "upgrades": 0}  # fmt: skip
    body = {"node": "330211", "as_of": "2024-12-31", "known_pos": 7, "period": None,
            "periods": [], "children": [],
            "totals": {"organizations": counts, "subsidies": []}}  # fmt: skip
    assert "chain_broken" not in Rollup.model_validate(body).model_dump(mode="json")
    broken = Point(broken=(ChainBreak("330211001001", 5, "hash differs", "t"),))
    marked = Rollup.model_validate({**body, "chain_broken": marks(broken)})
    dumped = marked.model_dump(mode="json")
    assert next(iter(dumped)) == "chain_broken"
    assert dumped["chain_broken"] == [
        {"origin": "330211001001", "seq": 5, "reason": "hash differs"}
    ]
