"""Exports for Excel over HTTP: ``GET /export/{what}`` answers a file to download."""

from __future__ import annotations

import tempfile
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from api.deps import AllowBrokenDep, NodeDep, ReaderDep
from api.json_body import LimitedRoute
from api.routes.views import AsOf, KnownAt
from service.exports import MEDIA_TYPES, WHAT, build_export

router = APIRouter(tags=["exports"], route_class=LimitedRoute)
IN_MEMORY = 8 * 2**20
"""Bytes of a file kept in memory while written; a larger one spills to disk."""
CHUNK = 2**16
What = Annotated[
    Literal["registry", "rollup", "grades", "subsidies", "reconciliation", "report"],
    Path(description="What to export: " + ", ".join(WHAT) + "."),
]


@router.get(
    "/export/{what}",
    response_class=StreamingResponse,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()},
                     "description": "The file, to save."}},
)  # fmt: skip
def export(
    what: What,
    node: NodeDep,
    _: ReaderDep,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
    as_of: AsOf = None,
    known_at: KnownAt = None,
    period: Annotated[
        str | None,
        Query(
            max_length=20,
            description="Only this period's money, e.g. 2024 (the report's year).",
            examples=["2024"],
        ),
    ] = None,
    allow_broken: AllowBrokenDep = False,
) -> StreamingResponse:
    """An export for Excel: XLSX (Chinese headers, frozen, totals) or CSV in UTF-8
    with a BOM; personal data masked. The name says what, where and when."""
    if as_of is None and what == "report" and period and period.isdigit():
        as_of = f"{period}-12-31"  # a year's report stands at the year's end
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    built = build_export(node, what, format, point, period=period)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
    built.write(spool)
    spool.seek(0)
    ascii_name = f"{node.code.value}_{what}_{point.as_of}.{format}"
    disposition = (
        f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(built.filename, safe='')}"
    )
    return StreamingResponse(
        iter(lambda: spool.read(CHUNK), b""),
        media_type=built.media_type,
        headers={"Content-Disposition": disposition},
        background=BackgroundTask(spool.close),
    )
