"""Identifiers every tier derives alike, without coordination."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid5

if TYPE_CHECKING:
    from domain.codes import NodeCode

NAMESPACE = UUID("5e0c7d1a-1f6b-5b7e-9a51-7469657231ed")
"""Fixed namespace of tierledger's uuid5 identifiers; never change it."""


def journal_id(node: NodeCode) -> UUID:
    """The id of a node's journal aggregate."""
    return uuid5(NAMESPACE, f"journal:{node.value}")


def org_id_for_uscc(uscc: str) -> UUID:
    """The id of an organization registered directly (not upgraded from a filing)."""
    return uuid5(NAMESPACE, f"uscc:{uscc}")


def org_id_for_filing(node: NodeCode, filing_number: str) -> UUID:
    """The id of a filed organization; an upgrade keeps it."""
    return uuid5(NAMESPACE, f"filing:{node.value}:{filing_number}")
