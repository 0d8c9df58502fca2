"""How a journal snapshot's document is stored: JSON lines, packed with Zstandard.

A snapshot is the whole state, ~0.6 KiB of JSON an organization, stored every 2 000
facts (decision 0044). Packed at level 1, it is a sixth of that (decision 0049).

Its large maps (organizations, references) are written a chunk per line after a
head line, and read back a line at a time (decision 0050): neither the whole JSON
nor the decoder's tree of it (about twelve times its size) is ever in memory, only
the packed bytes and one chunk. The document reads

    {"timestamp":..,"topic":..,"state":{..,"orgs":{},..},"chunked":["orgs",..]}
    ["orgs",{"<org id>":{..},..}]
    ..

Snapshots stored before were one JSON document, plain or packed; they are read as
they are.
"""

from __future__ import annotations

import io
import itertools
from typing import TYPE_CHECKING, Any

import orjson
import zstandard

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

MAGIC = b"\x28\xb5\x2f\xfd"
"""How a Zstandard frame starts (JSON never does)."""
MAX_UNPACKED = 4 << 30
"""The largest snapshot document unpacked (4 GiB): the state of millions of
organizations. A frame holding more was not written by a node."""
MAX_LINE = 256 << 20
"""The longest line read (256 MiB); a node writes chunks of a few hundred KiB."""
CHUNK = 500
"""Entries of a large map written per line."""


def pack_document(document: dict[str, Any]) -> bytes:
    """A snapshot's document, packed, its large maps a chunk per line, with a
    checksum in the frame (a damaged snapshot is then refused, not loaded as
    another state)."""
    state: dict[str, Any] = document["state"]
    chunked = [k for k, v in state.items() if isinstance(v, dict) and len(v) > CHUNK]
    head_state = {k: {} if k in chunked else v for k, v in state.items()}
    head = {**document, "state": head_state, "chunked": chunked}
    packed = io.BytesIO()
    compressor = zstandard.ZstdCompressor(level=1, write_checksum=True)
    with compressor.stream_writer(packed, closefd=False) as writer:
        writer.write(orjson.dumps(head) + b"\n")
        for key in chunked:
            entries = iter(state[key].items())
            while chunk := dict(itertools.islice(entries, CHUNK)):
                writer.write(orjson.dumps([key, chunk]) + b"\n")
    return packed.getvalue()


def unpack_document(
    stored: bytes, each_map: Callable[[str, dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """A stored snapshot's document, read a line at a time (or whole, if stored
    as one document); ``each_map`` is given each map of the state, or each chunk
    of a large one, as it is read.

    Raises ValueError if it is damaged, malformed or too large."""
    each_map = each_map or _nothing
    try:
        lines = _lines(stored)
        document = orjson.loads(next(lines, b""))
        chunked = document.pop("chunked", [])
        state: dict[str, Any] = document["state"]
        for key, value in state.items():
            if isinstance(value, dict) and key not in chunked:
                each_map(key, value)
        for line in lines:
            entry = orjson.loads(line)
            if not (isinstance(entry, list) and len(entry) == 2):
                raise ValueError("a snapshot line is not a map's name and a chunk")
            if entry[0] not in chunked:
                raise ValueError(f"a snapshot line names {entry[0]!r}, not a chunk")
            each_map(*entry)
            state[entry[0]].update(entry[1])
    except (orjson.JSONDecodeError, zstandard.ZstdError) as error:
        raise ValueError(f"a snapshot cannot be read: {error}") from None
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"a snapshot cannot be read: {error!r}") from None
    if not isinstance(state, dict):
        raise ValueError("a snapshot's state is not a map")
    return dict(document)


def _nothing(key: str, entries: dict[str, Any]) -> None:
    pass


def _lines(stored: bytes) -> Iterator[bytes]:
    """The document's lines: one, if it was stored as one document."""
    if not stored.startswith(MAGIC):
        yield stored
        return
    size = zstandard.frame_content_size(stored)
    if size > MAX_UNPACKED:
        raise ValueError(f"a packed snapshot claims {size} bytes")
    if size >= 0:  # one document, packed whole (before decision 0050)
        yield zstandard.ZstdDecompressor().decompress(stored)
        return
    reader = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(stored))
    total = 0
    # Read to the frame's end even past the last line: its checksum is checked there.
    while line := reader.readline(MAX_LINE):
        total += len(line)
        if not line.endswith(b"\n") or total > MAX_UNPACKED:
            raise ValueError("a packed snapshot holds more than a node writes")
        yield line
