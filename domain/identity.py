"""Identifiers every tier derives alike, without coordination."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from domain.codes import NodeCode
from domain.errors import InvalidFieldError
from domain.text import fold_identifier
from domain.uscc import Uscc

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


@dataclass(frozen=True)
class OrgReference:
    """What a reference to an organization says by itself."""

    org_id: str | None
    """The id it determines (an org_id, NODE:number), or would for a direct
    registration (a USCC: the holder's registry may say otherwise)."""
    uscc: str | None = None
    filing_number: str | None = None
    """A bare filing number: only the holder's registry can say whose it is."""


def parse_org_reference(ref: str) -> OrgReference:
    """Read an org_id, USCC, ``NODE:FILING_NUMBER`` or bare filing number (folded
    as filing numbers are, so a full-width look-alike names the same organization)."""
    ref = fold_identifier(ref.strip())
    if len(ref) in (32, 36):  # hex digits, with or without hyphens
        try:
            return OrgReference(str(UUID(ref)))
        except ValueError:
            pass
    if len(ref) == 18:
        try:
            uscc = Uscc.parse(ref).value
        except InvalidFieldError:
            pass
        else:
            return OrgReference(str(org_id_for_uscc(uscc)), uscc=uscc)
    node, sep, number = ref.partition(":")
    if sep:
        return OrgReference(
            str(org_id_for_filing(NodeCode.parse(node), number.strip()))
        )
    return OrgReference(None, filing_number=ref)
