"""The structure of a fact document, checked before anything reads its content.

Exactly the document's keys (an actor's besides, except in a checkpoint), a known type
with exactly its payload fields, JSON values only (no floats, integers within 64 bits,
text without NUL or lone surrogates), nesting at most ``MAX_DEPTH`` deep, a canonical
node code, a seq in 1..2^63-1, hashes in lower-case hex, a UTC instant and an actor as
``domain.actor`` writes it. The walk looks no deeper than ``MAX_DEPTH``, so no
document can raise a RecursionError. A ``ForkDetected`` quotes another document as its
evidence; that one is checked the same way, as a document of its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from domain.actor import stored_actor
from domain.canonical import INT64, MAX_SEQ, is_hex64
from domain.catalogue import CATALOGUE, FACT_TYPES
from domain.codes import NodeCode
from domain.errors import InputError, MalformedFactError, excerpt
from domain.facts import payload_names
from domain.messages import Text
from domain.values import utc_instant

DOCUMENT_KEYS = frozenset(
    {"node", "seq", "type", "payload", "recorded_at", "prev_hash", "hash"}
)
NAMED_KEYS = DOCUMENT_KEYS | {"actor"}
"""The keys of a document that names who recorded its fact (decision 0035)."""
MAX_DEPTH = 8
"""Objects and arrays nested in a document, the document itself counting one (the
deepest valid fact, a policy's grade band, is at depth 7)."""
MAX_FACT_BYTES = 64 * 1024
"""Canonical bytes of one fact, not counting a document it quotes. The largest a node
can make fit: a policy of 50 programs with every band, names in four-byte characters
(59 KiB), and a receipt enrolling 999 children (61 KiB)."""
MAX_QUOTES = 4
"""How deep fork evidence may quote fork evidence."""
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
"""What no stored text may hold: PostgreSQL's jsonb refuses NUL, UTF-8 surrogates."""


class Shape(NamedTuple):
    """A document whose structure is sound: its parts, ready to be read."""

    fact_type: str
    node: NodeCode
    seq: int
    payload: Mapping[str, object]
    recorded_at: str
    timestamp: datetime
    actor: str | None


class Where:
    """Names a document in error messages by short excerpts of its node and seq."""

    def __init__(self, doc: Mapping[str, object]) -> None:
        self.doc = doc

    def text(self) -> Text:
        """The document as a message names it: ``fact NODE/SEQ``."""
        node, seq = self.doc.get("node"), self.doc.get("seq")
        shown = node if isinstance(node, str) and _is_code(node) else excerpt(node)
        return Text("fact {node}/{seq}", node=shown, seq=excerpt(seq))

    def __str__(self) -> str:
        return self.text().render()


def refuse(where: Where, field: str, problem: Text) -> MalformedFactError:
    """The error refusing a document: which fact, which field, what is wrong."""
    return MalformedFactError(
        Text("{where}: {problem}", where=where.text(), problem=problem), field=field
    )


def check_shape(doc: object, quotes: int = 0) -> Shape:
    """The parts of a structurally sound document; refuse anything else by field."""
    if not isinstance(doc, dict | Mapping) or (
        doc.keys() != DOCUMENT_KEYS and doc.keys() != NAMED_KEYS
    ):
        raise MalformedFactError(
            Text(
                "a fact document has exactly the keys {keys}, and {actor} if it "
                "names who recorded it",
                keys=sorted(DOCUMENT_KEYS),
                actor="actor",
            ),
            field="document",
        )
    where = Where(doc)
    fact_type, payload = doc["type"], doc["payload"]
    if not isinstance(fact_type, str) or fact_type not in CATALOGUE:
        raise refuse(
            where, "type", Text("unknown fact type {type}", type=excerpt(fact_type))
        )
    if not isinstance(payload, dict | Mapping) or payload.keys() != payload_keys(
        fact_type
    ):
        raise refuse(
            where,
            "payload",
            Text("payload fields do not match {type}", type=fact_type),
        )
    quoting = fact_type == "ForkDetected"
    if fact_type in FREE_FORM:
        _walk(payload, where, quoting)
    node, seq = _node(doc["node"], where), doc["seq"]
    if type(seq) is not int or not 1 <= seq <= MAX_SEQ:
        raise refuse(
            where, "seq", Text("seq must be an integer in 1..{max}", max=MAX_SEQ)
        )
    if (seq == 1) != (fact_type == "LedgerOpened"):
        raise refuse(where, "type", Text("seq 1, and only seq 1, is a LedgerOpened"))
    for key in ("prev_hash", "hash"):
        if not is_hex64(doc[key]):
            raise refuse(
                where, key, Text("{field} must be 64 lower-case hex digits", field=key)
            )
    recorded_at = doc["recorded_at"]
    timestamp = _instant(recorded_at, where)
    if quoting:
        _check_quoted(payload["offered"], where, quotes)
    assert isinstance(recorded_at, str)
    actor = _actor(doc, fact_type, where) if "actor" in doc else None
    return Shape(fact_type, node, seq, payload, recorded_at, timestamp, actor)


def _actor(doc: Mapping[str, object], fact_type: str, where: Where) -> str:
    if fact_type == "Checkpoint":  # its signature must cover all it holds
        raise refuse(where, "actor", Text("a checkpoint names no actor"))
    try:
        return stored_actor(doc["actor"])
    except InputError as error:
        raise refuse(where, "actor", error.text) from None


def _check_quoted(offered: object, where: Where, quotes: int) -> None:
    if quotes >= MAX_QUOTES:
        raise refuse(
            where,
            "payload.offered",
            Text("evidence quoted more than {depth} deep", depth=MAX_QUOTES),
        )
    try:
        check_shape(offered, quotes + 1)
    except MalformedFactError as error:
        field = f"payload.offered.{error.field}"
        raise refuse(
            where, field, Text("payload.offered: {problem}", problem=error.text)
        ) from None


class _DeepError(Exception):
    """A problem deep in a document; its path is gathered on the way out."""

    def __init__(self, problem: Text) -> None:
        super().__init__(problem.render())
        self.problem, self.path = problem, list[str]()


FREE_FORM = frozenset(name for name, t in FACT_TYPES.items() if t.free_form)
"""Fact types with a field of free-form JSON, walked for depth, types and safe text
before anything reads them. Every field of the other types goes through a strict
parser of its own (``domain.stored_check``), which refuses any other value."""
_LIMIT = 2 * MAX_FACT_BYTES
"""Least encoded bytes at which the walk stops: the exact size is checked once the
fact is encoded; a document this large is not walked to its end."""
_TOO_LARGE = Text("makes the fact larger than {limit} bytes", limit=MAX_FACT_BYTES)


def _walk(payload: Mapping[str, Any], where: Where, quoting: bool) -> None:
    """Depth, JSON types and safe text of a payload, all through (the document's
    other parts are checked one by one); a quoted document (fork evidence) is left
    out, to be checked as a document of its own."""
    total = 0
    try:
        for name, value in payload.items():  # the type's own field names
            kind = type(value)
            if kind is str and value.isprintable() and len(value) < _LIMIT:
                total += len(value) + len(name) + 6
            elif (kind is int and -INT64 <= value < INT64) or value is None:
                total += len(name) + 5
            elif not (quoting and name == "offered"):
                try:
                    total += _size(value, 3) + len(name) + 4
                except _DeepError as found:
                    found.path.append("." + name)
                    raise
            if total > _LIMIT:
                raise _DeepError(_TOO_LARGE)
    except _DeepError as found:
        path = "payload" + "".join(reversed(found.path))
        raise refuse(
            where, path, Text("{path} {problem}", path=path, problem=found.problem)
        ) from None


def _size(value: object, depth: int) -> int:
    """The least bytes ``value`` encodes to, once it is known to be safe JSON."""
    if isinstance(value, str):
        if not value.isprintable() and _UNSAFE.search(value):
            raise _DeepError(Text("holds NUL or a lone surrogate"))
        if len(value) > _LIMIT:
            raise _DeepError(_TOO_LARGE)
        return len(value) + 2
    if type(value) is int:
        if not -INT64 <= value < INT64:
            raise _DeepError(Text("is an integer beyond 64 bits"))
        return 1
    if value is None or type(value) is bool:
        return 4
    if type(value) is dict or isinstance(value, Mapping | list):
        if depth > MAX_DEPTH:
            raise _DeepError(Text("nests deeper than {depth}", depth=MAX_DEPTH))
        return _size_of_items(value, depth)
    raise _DeepError(
        Text("holds a {kind}, not a JSON value", kind=type(value).__name__)
    )


def _size_of_items(value: Mapping[Any, Any] | list[Any], depth: int) -> int:
    """The least bytes a container's items encode to. Plain, printable text and
    numbers are counted here; anything else is looked into, its path gathered if
    refused."""
    total = 1 + len(value)  # brackets and separators
    keyed = not isinstance(value, list)
    pairs: Iterable[tuple[Any, Any]] = (
        enumerate(value) if isinstance(value, list) else value.items()
    )
    for key, item in pairs:
        if keyed:
            if type(key) is not str or (not key.isprintable() and _UNSAFE.search(key)):
                raise _DeepError(Text("has the key {key}", key=excerpt(key)))
            total += len(key) + 3
        kind = type(item)
        if kind is str and len(item) < _LIMIT and item.isprintable():
            total += len(item) + 2
        elif kind is int and -INT64 <= item < INT64:
            total += 1
        else:
            try:
                total += _size(item, depth + 1)
            except _DeepError as found:
                found.path.append("." + _label(str(key)) if keyed else f"[{key}]")
                raise
        if total > _LIMIT:
            raise _DeepError(_TOO_LARGE)
    return total


def _label(key: str) -> str:
    """A key as an error message names it in a path."""
    return key if len(key) <= 32 and key.isprintable() else excerpt(key, 32)


@functools.cache
def payload_keys(fact_type: str) -> frozenset[str]:
    """The payload fields of a known fact type."""
    return frozenset(payload_names(CATALOGUE[fact_type]))


def _is_code(text: str) -> bool:
    return len(text) <= 12 and text.isascii() and text.isdigit()


def _node(value: object, where: Where) -> NodeCode:
    try:
        node = node_code(value) if isinstance(value, str) else NodeCode.parse(value)
    except InputError as error:
        raise refuse(where, "node", error.text) from None
    if node.value != value:
        raise refuse(
            where, "node", Text("node must be written {code}", code=node.value)
        )
    return node


@functools.lru_cache(maxsize=4096)
def node_code(text: str) -> NodeCode:
    """A node code from its text (cached: a batch names few nodes)."""
    return NodeCode.parse(text)


def _instant(value: object, where: Where) -> datetime:
    # Only text of the one length an instant has is remembered.
    found = _moment(value) if isinstance(value, str) and len(value) == 27 else None
    if found is None:
        raise refuse(
            where,
            "recorded_at",
            Text("recorded_at must be a UTC instant, YYYY-MM-DDTHH:MM:SS.ffffffZ"),
        )
    return found


@functools.lru_cache(maxsize=256)
def _moment(text: str) -> datetime | None:
    """The instant ``text`` writes in the one form facts use, else None (cached: a
    batch recorded at once shares one instant)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and _utc(moment) == text else None


def _utc(moment: datetime) -> str | None:
    try:
        return utc_instant(moment)
    except OverflowError:  # an offset that moves it out of the calendar
        return None


def fact_size(shape: Shape, canonical: bytes) -> int:
    """Bytes a fact counts against ``MAX_FACT_BYTES``: its canonical bytes, less a
    document it quotes (checked on its own)."""
    if shape.fact_type != "ForkDetected":
        return len(canonical)
    return len(canonical) - len(orjson.dumps(shape.payload["offered"]))
