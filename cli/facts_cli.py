"""`tierledger facts [TYPE]`: the fact catalogue, from `docs/facts.md` in the reader's
language, so the command line and the documentation never disagree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown

from cli.i18n import LOCALE, _
from cli.nodes import reports_errors
from cli.output import console
from domain.catalogue import FACT_TYPES
from domain.errors import UnknownFactTypeError
from domain.messages import Text
from infrastructure.i18n import CHINESE

DOCS = Path(__file__).resolve().parents[1] / "docs"
CATALOGUES = {CHINESE: "facts.zh-CN.md"}
SECTION = re.compile(r"^## (\w+)(?: — (.*))?$", re.MULTILINE)


def catalogue_text() -> str | None:
    """The catalogue in the shell's language (English if none), if installed here."""
    for name in (CATALOGUES.get(LOCALE), "facts.md"):
        if name and (DOCS / name).is_file():
            return (DOCS / name).read_text("utf-8")
    return None


def sections(text: str) -> dict[str, tuple[str, str]]:
    """Each fact type's heading summary and its whole section, by type name."""
    found: dict[str, tuple[str, str]] = {}
    starts = list(SECTION.finditer(text))
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        body = text[match.start() : end].split("\n# ")[0]
        found[match.group(1)] = (match.group(2) or "", body.rstrip())
    return found


@reports_errors
def facts(
    fact_type: Annotated[
        str | None,
        typer.Argument(
            metavar="TYPE",
            help=_("A fact type, e.g. OrganizationFiled; none lists them all."),
        ),
    ] = None,
) -> None:
    """List the fact types, or show one type's fields and rules."""
    text = catalogue_text()
    found = sections(text) if text else {}
    if fact_type is None:
        _list_types(found)
        return
    if fact_type not in FACT_TYPES:
        raise UnknownFactTypeError(
            Text(
                "unknown fact type {name}; `tierledger facts` lists them",
                name=repr(fact_type),
            )
        )
    if fact_type in found:
        console.print(Markdown(found[fact_type][1]))
        return
    console.print(fact_type)
    for spec in FACT_TYPES[fact_type].inputs:
        console.print(f"  {spec.key}{' *' if spec.required else ''}")


def _list_types(found: dict[str, tuple[str, str]]) -> None:
    ordered = [n for n in found if n in FACT_TYPES]  # the catalogue's order
    ordered += sorted(set(FACT_TYPES) - set(ordered))
    for clerks in (True, False):
        heading = _("Recorded by clerks:") if clerks else _("Recorded by the network:")
        console.print(heading, style="bold", markup=False)
        for name in ordered:
            if bool(FACT_TYPES[name].inputs) == clerks:
                summary = found.get(name, ("", ""))[0]
                console.print(f"  {name:<26}{summary}", markup=False)
    console.print(_("Fields and rules of one: tierledger facts TYPE (docs/facts.md)."))
