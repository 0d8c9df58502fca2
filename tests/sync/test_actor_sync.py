"""Who recorded a fact travels upward with it, under its origin's signature: a parent
takes facts with and without an actor, and a relay can neither change, add nor
remove one (decision 0035)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest

from domain.errors import BadSignatureError, MalformedFactError, SyncError
from tests.factories import filing
from tests.sync.forgery import of_origin, rechain
from tests.sync.network import DISTRICT, Network

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"
Document = dict[str, Any]


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [DISTRICT, STREET, COMMUNITY])
    # A community that upgraded mid-year: its first facts name no one.
    network.record(COMMUNITY, 3)
    node = network.opened[COMMUNITY]
    for n, actor in enumerate(["user:王秀英", "token:1a2b3c4d", "cli:clerk"]):
        node.record("OrganizationFiled", filing(f"镇民备2024{n:03}号"), actor=actor)
    network.record(COMMUNITY, 2)
    network.pull(STREET, COMMUNITY)
    yield network
    network.close()


def actors_held(net: Network, at: str) -> list[str | None]:
    """The actors of the community's facts as node ``at`` holds them."""
    docs = of_origin(net.nodes[at].feed(0, 1000).facts, COMMUNITY)
    return [d.get("actor") for d in docs]


def test_facts_with_and_without_an_actor_reach_the_district_verbatim(
    net: Network,
) -> None:
    net.push(STREET, DISTRICT)
    expected = [*[None] * 4, "user:王秀英", "token:1a2b3c4d", "cli:clerk", None, None]
    own = actors_held(net, COMMUNITY)
    assert own[: len(expected)] == expected
    assert actors_held(net, STREET) == own == actors_held(net, DISTRICT)
    assert net.held(DISTRICT, COMMUNITY) == net.held(COMMUNITY, COMMUNITY)
    assert net.verify_everywhere() == {}


def _renamed(doc: Document) -> None:
    doc["actor"] = "user:局长"


def _unnamed(doc: Document) -> None:
    del doc["actor"]


def _oversize(doc: Document) -> None:
    doc["actor"] = "user:" + "长" * 64


def _invisible(doc: Document) -> None:
    doc["actor"] = "user:王\u200b秀英"


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        # Its hash is in the span the community signed: a relay cannot sign again.
        (_renamed, BadSignatureError),
        (_unnamed, BadSignatureError),
        (_oversize, MalformedFactError),
        (_invisible, MalformedFactError),
    ],
)
def test_a_relay_cannot_change_who_recorded_a_fact(
    net: Network, change: Callable[[Document], None], refusal: type[SyncError]
) -> None:
    district = net.nodes[DISTRICT]
    net.push(STREET, DISTRICT)
    net.opened[COMMUNITY].record(
        "OrganizationFiled", filing("镇民备2024099号"), actor="user:李建国"
    )
    net.nodes[COMMUNITY].checkpoint()
    net.pull(STREET, COMMUNITY)
    street = net.nodes[STREET]
    street.checkpoint()
    head = district.ledger.head()
    batch = copy.deepcopy(street.feed(0, 1000).facts)  # held facts: duplicates
    run = of_origin(batch, COMMUNITY)
    victim = next(d for d in run if d.get("actor") == "user:李建国")
    change(victim)
    # Every hash after it recomputed, as a relay hiding its edit would.
    index = run.index(victim)
    relinked = rechain(
        run[index:], run[index - 1]["hash"] if index else victim["prev_hash"]
    )
    replaced = {id(old): new for old, new in zip(run[index:], relinked, strict=True)}
    offered = [replaced.get(id(d), d) for d in batch]
    with pytest.raises(refusal) as caught:
        district.ingest(STREET, offered, transport="push", feed_position=1)
    if refusal is MalformedFactError:
        assert caught.value.field == "actor"
    assert district.ledger.head() == head  # nothing recorded
    net.push(STREET, DISTRICT)  # the genuine batch still goes through
    assert actors_held(net, DISTRICT)[-2:] == ["user:李建国", None]
    assert net.verify_everywhere() == {}
