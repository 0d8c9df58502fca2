"""Who recorded a fact: its actor, ``kind:name`` (decision 0035).

An actor names the account, token or operator a node recorded a fact for —
``user:王秀英`` (a web account), ``token:1a2b3c4d`` (an API bearer token, by the id
``tierledger token list`` shows), ``cli:clerk`` (an operating-system user at the
command line), ``node:330211001`` (the node itself: receipts of batches, forks). It
is kept in the fact's envelope, under its hash; facts recorded before actors were
kept have none.
"""

from __future__ import annotations

import functools
import re

from domain.errors import InvalidFieldError, excerpt
from domain.messages import Text
from domain.text import parse_text

MAX_ACTOR = 64
"""Characters an actor may hold, its kind and colon included."""
_KIND = re.compile(r"[a-z][a-z0-9-]{0,15}")
"""An actor's kind: a short lower-case ASCII word. Open-ended, so that a kind a newer
node writes is not refused by its parent."""
KINDS = ("user", "token", "cli", "node", "demo")
"""The kinds this version writes (``docs/facts.md``)."""


def parse_actor(value: object, field: str = "actor") -> str:
    """An actor: ``kind:name``, at most ``MAX_ACTOR`` printable characters."""
    text = parse_text(value, field, max_len=MAX_ACTOR)
    kind, colon, name = text.partition(":")
    if not colon or not _KIND.fullmatch(kind) or not name or name != name.strip():
        raise InvalidFieldError(
            Text(
                "{field} {value} must be written kind:name, the kind a lower-case "
                "word (user:王秀英, token:1a2b3c4d, cli:clerk)",
                field=field,
                value=excerpt(text, 40),
            ),
            field=field,
        )
    # Tabs and line breaks pass parse_text (notes may hold them); an actor is one
    # line of visible characters and plain spaces.
    if not text.isprintable():
        raise InvalidFieldError(
            Text(
                "{field} {value} holds a tab, a line break or an unusual space; "
                "an actor is one line",
                field=field,
                value=excerpt(text, 40),
            ),
            field=field,
        )
    return text


def stored_actor(value: object) -> str:
    """A stored fact's actor: exactly what ``parse_actor`` gives (no other form of
    the same name, so its hash has one text)."""
    # A batch names few actors: each text is checked once.
    return _stored_text(value) if type(value) is str else _stored(value)


@functools.lru_cache(maxsize=1024)
def _stored_text(value: str) -> str:
    return _stored(value)


def _stored(value: object) -> str:
    actor = parse_actor(value)
    if actor != value:
        raise InvalidFieldError(
            Text(
                "actor {value} is not in the form it is recorded in (trimmed, NFC)",
                value=excerpt(value, 40),
            ),
            field="actor",
        )
    return actor


def node_actor(node: str) -> str:
    """The actor of the facts a node records by itself: ``node:<code>``."""
    return f"node:{node}"


def token_actor(token_id: str) -> str:
    """The actor of an API bearer token: ``token:<id>``."""
    return f"token:{token_id}"
