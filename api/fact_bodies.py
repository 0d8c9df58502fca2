"""``POST /facts`` bodies: a discriminated union on ``type``, one model per fact type,
built from the same field table the CLI checks (``domain.commands.SPECS``).

The models document each type's fields in the OpenAPI schema and refuse unknown ones;
the values themselves are checked by the domain, which names the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field, create_model

from domain.commands import SPECS
from domain.messages import untranslated
from domain.receipts import Receipt

if TYPE_CHECKING:
    from collections.abc import Callable

EXAMPLES: dict[str, dict[str, Any]] = {
    "OrganizationFiled": {"filing_number": "招宝山备2024-001",
                          "name": "城东“银龄”舞蹈队", "category": "文体活动",
                          "community": "330211001001",
                          "effective_on": "2024-03-01"},
    "GradeEvaluated": {"org": "330211001001:招宝山备2024-001", "scheme": "class",
                       "grade": "二类", "effective_on": "2024-11-20"},
    "SubsidyDecided": {"org": "330211001001:招宝山备2024-001",
                       "program": "基层社会组织活动经费补助", "period": "2024",
                       "amount": "2500",
                       "shares": {"street": "1500", "community": "1000"},
                       "grade_scheme": "class", "grade": "二类",
                       "effective_on": "2024-12-15"},
    "PolicyAdopted": {"name": "招宝山街道基层社会组织分类评定与差别化补助办法",
                      "effective_on": "2023-01-01",
                      "programs": [{"program": "基层社会组织活动经费补助",
                                    "cap": "4000",
                                    "split": {"street": 60, "community": 40},
                                    "bands": {"class": {"一类": ["3000", "4000"],
                                                        "二类": ["2000", "3000"],
                                                        "三类": ["1000", "2000"]}}}]},
}  # fmt: skip


def openapi_examples() -> dict[str, dict[str, Any]]:
    """Named request examples for ``POST /facts``, one per common fact type."""
    return {
        fact_type: {"summary": fact_type, "value": {"type": fact_type, "data": data}}
        for fact_type, data in EXAMPLES.items()
    }


def _data_model(fact_type: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        spec.key: (Any, Field(... if spec.required else None, description=spec.target))
        for spec in SPECS[fact_type]
    }
    config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [EXAMPLES[fact_type]]}
        if fact_type in EXAMPLES
        else None,
    )
    return create_model(f"{fact_type}Data", __config__=config, **fields)


class FactBodyBase(BaseModel):
    """What every fact body holds: its type and its fields (each type's body
    narrows ``type`` to its name and ``data`` to its fields)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    data: BaseModel


def _body(fact_type: str) -> type[FactBodyBase]:
    return create_model(
        fact_type,
        __base__=FactBodyBase,
        type=(Literal[fact_type], ...),  # type: ignore[arg-type]
        data=(_data_model(fact_type), ...),
    )


BODIES = tuple(_body(fact_type) for fact_type in SPECS)
if TYPE_CHECKING:  # mypy sees what every body has; FastAPI reads the union
    FactBody = FactBodyBase
else:
    FactBody = Annotated[Union[BODIES], Field(discriminator="type")]  # noqa: UP007
"""Any recordable fact, as ``{"type": ..., "data": {...}}`` (an import's line)."""


class ReceiptPublic(BaseModel):
    """What was recorded: the fact's seq and hash, the organization it concerns and
    the business date it holds."""

    type: str = Field(examples=["OrganizationFiled"])
    seq: int = Field(examples=[12])
    hash: str
    org_id: str | None = None
    effective_on: str | None = Field(
        default=None,
        examples=["2024-03-01"],
        description="The business date the fact holds (null for facts a node writes "
        "for itself: enrolments, checkpoints, sync receipts).",
    )
    effective_on_defaulted: bool = Field(
        default=False,
        description="No effective_on was given: the fact is dated the day it was "
        "recorded (China), and a warning says so. Imports refuse such facts.",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What to check although the fact was recorded (a date not "
        "given, an unknown category, a USCC's position-17 check), in the request's "
        "language.",
    )
    already_recorded: bool = Field(
        default=False,
        description="The same fact was held already: nothing new was recorded.",
    )


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A key of the client's choosing: a retry with the same key and "
        "body returns the first receipt and records nothing twice.",
    ),
]


def receipt_public(
    receipt: Receipt, translate: Callable[[str], str] = untranslated
) -> ReceiptPublic:
    """A domain receipt as the API answers it, its texts in ``translate``'s
    language."""
    return ReceiptPublic(
        type=receipt.fact_type,
        seq=receipt.seq,
        hash=receipt.hash,
        org_id=receipt.org_id,
        effective_on=receipt.effective_on,
        effective_on_defaulted=receipt.date_defaulted,
        warnings=[warning.render(translate) for warning in receipt.warnings],
        already_recorded=receipt.already_recorded,
    )
