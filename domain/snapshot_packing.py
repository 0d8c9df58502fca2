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
PIECE = 1 << 14
"""Packed bytes given to the decompressor at a time when checking a frame whole."""
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
        document, chunked = _head(next(lines, b""))
        state: dict[str, Any] = document["state"]
        for key, value in state.items():
            if isinstance(value, dict) and key not in chunked:
                each_map(key, value)
        for line in lines:
            key, chunk = _chunk(line, chunked)
            each_map(key, chunk)
            state[key].update(chunk)
    except (orjson.JSONDecodeError, zstandard.ZstdError) as error:
        raise ValueError(f"a snapshot cannot be read: {error}") from None
    except (KeyError, TypeError, AttributeError) as error:  # from each_map
        raise ValueError(f"a snapshot cannot be read: {error!r}") from None
    return document


def _head(line: bytes) -> tuple[dict[str, Any], set[str]]:
    """The document's head, and the maps that follow it in chunks (left empty)."""
    document = orjson.loads(line)
    if not isinstance(document, dict) or not isinstance(document.get("state"), dict):
        raise ValueError("a snapshot's state is not a map")
    chunked = document.pop("chunked", [])
    state = document["state"]
    if not isinstance(chunked, list) or not all(
        isinstance(key, str) and state.get(key) == {} for key in chunked
    ):
        raise ValueError("a snapshot's head does not name empty maps as chunked")
    return document, set(chunked)


def _chunk(line: bytes, chunked: set[str]) -> tuple[str, dict[str, Any]]:
    """A line's map name and entries, if its head named that map as chunked."""
    entry = orjson.loads(line)
    if not (
        isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and entry[0] in chunked
        and isinstance(entry[1], dict)
    ):
        raise ValueError("a snapshot line is not a chunk of a map its head names")
    return entry[0], entry[1]


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
    while line := reader.readline(MAX_UNPACKED + 1 - total):
        total += len(line)
        if total > MAX_UNPACKED:
            raise ValueError("a packed snapshot holds more than a node writes")
        if not line.endswith(b"\n"):
            raise ValueError("a packed snapshot's last line is cut short")
        yield line
    _whole_frame(stored)


def _whole_frame(stored: bytes) -> None:
    """Refuse a frame cut short or followed by more. The stream reader stops
    quietly where its input ends, even before the checksum: decompress it again,
    a piece at a time, to its end (its size is known to be bounded by now)."""
    frame = zstandard.ZstdDecompressor().decompressobj()
    view, fed = memoryview(stored), 0
    while fed < len(view) and not frame.eof:
        frame.decompress(view[fed : fed + PIECE])
        fed += PIECE
    if not frame.eof or frame.unused_data or fed < len(view):
        raise ValueError("a packed snapshot is cut short or has more after its end")
