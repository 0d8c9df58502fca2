"""How a journal snapshot's JSON is packed for the store: Zstandard, level 1.

A snapshot is the whole state, ~0.6 KiB of JSON an organization, stored every 2 000
facts (decision 0044). Packed, it is a sixth of that: less to write, and less for
the store's driver to copy while it writes, which is most of the memory an import's
commit takes (decision 0049). Packing costs about as much as encoding the JSON.
Snapshots stored before were plain JSON and are read as they are.
"""

from __future__ import annotations

import zstandard

MAGIC = b"\x28\xb5\x2f\xfd"
"""How a Zstandard frame starts (JSON never does)."""
MAX_UNPACKED = 4 << 30
"""The largest snapshot document unpacked (4 GiB): the state of millions of
organizations. A frame claiming more was not written by a node."""


def pack(document: bytes) -> bytes:
    """A snapshot's JSON, packed, with its size and a checksum in the frame (a
    damaged snapshot is then refused, not loaded as another state)."""
    return zstandard.ZstdCompressor(level=1, write_checksum=True).compress(document)


def unpack(stored: bytes) -> bytes:
    """A stored snapshot's JSON: unpacked, or as stored if it was not packed.

    Raises ValueError if the frame is damaged or claims too large a document."""
    if not stored.startswith(MAGIC):
        return stored
    try:
        size = zstandard.frame_content_size(stored)
        if not 0 <= size <= MAX_UNPACKED:
            raise ValueError(f"a packed snapshot claims {size} bytes")
        return zstandard.ZstdDecompressor().decompress(stored)
    except zstandard.ZstdError as error:
        raise ValueError(f"a packed snapshot cannot be unpacked: {error}") from None
