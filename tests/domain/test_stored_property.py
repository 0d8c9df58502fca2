"""Property: no hash-correct document the ingest accepts can make a view read fail.

Documents made by real ledgers have one payload value altered (replaced by a nasty or
by a plausible value, removed, or joined by another key) and their hash recomputed.
Each is refused by ``from_document`` with a ``MalformedFactError`` naming a field, or
it is kept exactly as sent; an accepted organization fact is then stored at a street
through the one ingest path, signed by its origin, and every view, the
reconciliation and the audit read over it.
"""

from __future__ import annotations

import contextlib
import copy
import uuid
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.codes import NodeCode
from domain.errors import MalformedFactError, SyncError
from domain.shape import MAX_FACT_BYTES, check_shape, fact_size
from domain.wire import from_document, to_document
from infrastructure.stores import Store
from projections import audit, audit_diff
from projections.span import Span
from service.node import open_views
from tests.conftest import DATABASE_URL, require_postgres
from tests.domain.stored_corpus import (
    COMMUNITY,
    STREET,
    Corpus,
    covering_checkpoint,
    rehash,
)
from tests.projections.delivery import open_node

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from projections.node_views import NodeViews

Document = dict[str, Any]
Position = tuple[str | int, ...]

NASTY = st.one_of(
    st.sampled_from(
        [None, True, False, 0, -1, 1, -500_000_000_000, 10**14, 10**14 + 1,
         2**62, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, 3.5, 1e300, "", " ",
         "lots", "2024-02-30", "1949-12-31", "2099-01-01", " 2024-01-01",
         "a\u0000b", "a\u202eb", "\ud800", "一类", "5a", "national",
         "street", "330211002001", "330211001", COMMUNITY, "0" * 64, "A" * 64,
         [], {}, [1, 2], {"street": -1}, {"lottery": 1}, [[[[[[[[[1]]]]]]]]]],
    ),
    st.integers(),
    st.text(max_size=12),
    st.builds(str.__mul__, st.sampled_from(["x", "补"]), st.sampled_from([101, 10**5])),
    st.floats(allow_nan=False),
    st.dictionaries(st.text(max_size=6), st.integers(-3, 3), max_size=3),
)  # fmt: skip
"""Values no clerk's input would become, or would become only in another field."""


def positions(value: Any, at: Position = ()) -> list[Position]:
    """Every position inside a payload: each key of each object, each list item."""
    if isinstance(value, dict):
        items: list[tuple[str | int, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return []
    found: list[Position] = []
    for key, inner in items:
        found.append((*at, key))
        found.extend(positions(inner, (*at, key)))
    return found


def plausible(docs: list[Document]) -> dict[str | int, list[Any]]:
    """Values seen at each key name in valid documents: alterations that often pass."""
    seen: dict[str | int, list[Any]] = {}
    for doc in docs:
        for at in positions(doc["payload"]):
            seen.setdefault(at[-1], []).append(copy.deepcopy(_at(doc, at)))
    return seen


def _at(doc: Document, at: Position) -> Any:
    value = doc["payload"]
    for key in at:
        value = value[key]
    return value


def altered(docs: list[Document]) -> st.SearchStrategy[Document]:
    """Documents with one payload value replaced, removed or joined by another."""
    seen = plausible(docs)

    @st.composite
    def one(draw: st.DrawFn) -> Document:
        # Indices, not values: a failure's report would print whole documents.
        doc = copy.deepcopy(docs[draw(st.integers(0, len(docs) - 1))])
        at = draw(st.sampled_from(positions(doc["payload"])))
        known = st.sampled_from(range(len(seen[at[-1]])))
        value = draw(
            st.one_of(  # another valid document's value, twice as often as a nasty
                known.map(lambda n: copy.deepcopy(seen[at[-1]][n])),
                known.map(lambda n: copy.deepcopy(seen[at[-1]][n])),
                NASTY,
            )
        )
        container = _at(doc, at[:-1])
        how = draw(st.sampled_from(["replace", "replace", "remove", "join"]))
        if len(at) == 1:
            how = "replace"  # a payload has its type's fields: the rest is dull
        if how == "remove" and isinstance(container, dict):
            del container[at[-1]]
        elif how == "join" and isinstance(container, dict):
            container[draw(st.sampled_from(JOINED))] = value
        else:
            container[at[-1]] = value
        with contextlib.suppress(TypeError):  # no canonical form: refused anyway
            rehash(doc)
        return doc

    return one()


JOINED = ["extra", "name", "phone", "street", "grade", "passed", "cap", "5A", ""]
"""Keys an alteration may add to an object."""


def refused_or_kept(doc: Document) -> bool:
    """True when accepted, and then kept as sent; a refusal names origin and field."""
    try:
        fact = from_document(doc)
    except MalformedFactError as caught:
        error: MalformedFactError | None = caught
    else:
        error = None
    if error is not None:
        assert error.field
        assert error.message.startswith(f"fact {doc['node']}/{doc['seq']}: ")
        assert len(error.message) < 300
        return False
    assert to_document(fact) == doc
    assert fact_size(check_shape(doc), fact.canonical()) <= MAX_FACT_BYTES
    return True


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_an_altered_document_is_refused_by_field_or_kept_exactly_as_sent(
    corpus: Corpus, data: st.DataObject
) -> None:
    refused_or_kept(data.draw(altered(corpus.own + corpus.network)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_accepted_organization_fact_leaves_every_view_readable(
    corpus: Corpus, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    doc = data.draw(altered(corpus.own))
    if refused_or_kept(doc):
        with sqlite_store(tmp_path_factory.mktemp("street")) as store:
            ingest_and_read(corpus, doc, store)


@pytest.mark.postgres
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_accepted_organization_fact_leaves_every_postgres_view_readable(
    corpus: Corpus, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    require_postgres()
    doc = data.draw(altered(corpus.own))
    if refused_or_kept(doc):
        with postgres_store(tmp_path_factory.mktemp("street")) as store:
            ingest_and_read(corpus, doc, store)


def test_a_correction_with_another_kinds_fields_leaves_every_view_readable(
    corpus: Corpus, tmp_path: Path
) -> None:
    decided = next(d for d in corpus.own if d["type"] == "SubsidyDecided")
    last = corpus.own[-1]
    # Hash-correct and signed, but it corrects a decision as if it were a grade.
    doc: Document = {
        "node": COMMUNITY, "seq": last["seq"] + 1, "type": "FactCorrected",
        "payload": {"corrects_seq": decided["seq"], "reason": "更正",
                    "org_id": decided["payload"]["org_id"],
                    "effective_on": "2024-01-01",
                    "replacement": {"grade": "一类", "passed": True,
                                    "valid_until": "2024-06-01"}},
        "recorded_at": last["recorded_at"], "prev_hash": last["hash"], "hash": "",
    }  # fmt: skip
    rehash(doc)
    assert refused_or_kept(doc)
    with sqlite_store(tmp_path) as store:
        ingest_and_read(corpus, doc, store)


def ingest_and_read(corpus: Corpus, doc: Document, store: Store) -> None:
    """Store ``doc`` after its origin's earlier facts, signed, at a new street; then
    read every view, reconcile, audit and verify there."""
    street = open_node(store, STREET)
    street.enroll(COMMUNITY, corpus.key)
    seq = doc["seq"]
    before = corpus.own[: seq - 1]
    batch = [*before, doc, covering_checkpoint(doc, corpus.signer, before)]
    refusal = None
    try:
        street.ingest(COMMUNITY, batch, transport="push", feed_position=seq + 1)
    except SyncError as error:
        refusal = error.code
    # Only what the alteration broke of a signature or the key is refused here.
    assert refusal in (None, "bad-signature", "key-mismatch")
    views = open_views(store, street.ledger)
    try:
        read_everything(views)
        assert all(report.ok for report in street.verify_all().values())
    finally:
        views.close()
        street.ledger.close()


def read_everything(views: NodeViews) -> None:
    """Every read the surfaces offer: registry, organizations, roll-ups,
    reconciliation, audit timelines and the diff, now and in the past."""
    before = views.point(known_at="2000-01-01T00:00:00Z")
    for point in (views.point(), views.point(as_of="2021-06-30"), before):
        registry = views.registry(point)
        views.rollup(point)
        views.rollup(point, communities=True)
        views.reconcile(point)
        views.digest(point)
        for org in registry:
            views.organization(org.org_id, point)
            audit.timeline(views.view, point, org.org_id, views.ledger.actor_of)
    audit_diff.diff(views.view, NodeCode(STREET), before, views.point())
    across_dates = Span(as_of_from="2021-06-30", as_of_to="2024-12-31")
    audit_diff.diff(views.view, NodeCode(STREET), *views.span(across_dates))


@contextlib.contextmanager
def sqlite_store(path: Path) -> Iterator[Store]:
    yield Store(path)


@contextlib.contextmanager
def postgres_store(path: Path) -> Iterator[Store]:
    """A PostgreSQL store of its own, its schemas dropped afterwards."""
    namespace = f"t{uuid.uuid4().hex[:10]}_"
    try:
        yield Store(path, DATABASE_URL, namespace=namespace)
    finally:
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            for (schema,) in conn.execute(
                "SELECT schema_name FROM information_schema.schemata "
                "WHERE schema_name LIKE %s",
                (namespace + "%",),
            ).fetchall():
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
