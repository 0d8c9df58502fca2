"""Every replicated fact is covered by its origin's signature: a relaying node can
pass facts on, but can neither forge, alter nor drop them undetected."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import (
    BadSignatureError,
    KeyMismatchError,
    SyncError,
    UncoveredFactError,
)
from infrastructure.keys import Ed25519Signer
from tests.sync.forgery import forged_enrolment, of_origin, rechain
from tests.sync.network import DISTRICT, Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY, SIBLING = "330211001", "330211001001", "330211001002"


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [DISTRICT, STREET, COMMUNITY, SIBLING])
    network.record(COMMUNITY, 6)
    network.record(SIBLING, 4)
    network.pull(STREET, COMMUNITY)
    network.pull(STREET, SIBLING)
    yield network
    network.close()


def street_feed(net: Network) -> list[dict[str, Any]]:
    street = net.nodes[STREET]
    street.checkpoint()
    return street.feed(0, 5000).facts


def street_signer(net: Network) -> Ed25519Signer:
    return Ed25519Signer.from_file(net.store.key_path(net.nodes[STREET].ledger.node))


def test_a_street_cannot_forge_a_communitys_subsidy(net: Network) -> None:
    district = net.nodes[DISTRICT]
    net.push(STREET, DISTRICT)
    head = district.ledger.head()
    # The street takes the community's subsidy, makes it 99 999 yuan, appends it as
    # the community's next fact with every hash right, and pushes it with its own
    # signature on its own facts.
    held = of_origin(street_feed(net), COMMUNITY)
    subsidy = next(d for d in held if d["type"] == "SubsidyDecided")
    forged = copy.deepcopy(subsidy)
    forged["seq"] = held[-1]["seq"] + 1
    forged["payload"]["amount_fen"] = 9_999_900
    forged["payload"]["shares"] = {"street": 9_999_900}
    (forged,) = rechain([forged], held[-1]["hash"])
    with pytest.raises(UncoveredFactError) as caught:
        district.ingest(STREET, [forged], transport="push", feed_position=1)
    assert f"{COMMUNITY}: facts {forged['seq']}–{forged['seq']}" in caught.value.message
    assert district.ledger.head() == head  # nothing recorded
    # The genuine community's next facts arrive and are accepted, not called a fork.
    net.record(COMMUNITY, 3)
    net.pull(STREET, COMMUNITY)
    net.push(STREET, DISTRICT)
    assert net.held(DISTRICT, COMMUNITY) == net.held(COMMUNITY, COMMUNITY)
    assert district.status().forks == []
    assert net.verify_everywhere() == {}


def test_a_street_cannot_vouch_for_a_community_with_its_own_key(
    net: Network,
) -> None:
    net.push(STREET, DISTRICT)
    net.record(COMMUNITY, 3)
    net.pull(STREET, COMMUNITY)
    # The street re-signs the community's checkpoints with its own key.
    held = of_origin(street_feed(net), COMMUNITY)
    resigned = rechain(held, signer=street_signer(net))
    with pytest.raises(BadSignatureError):
        net.nodes[DISTRICT].ingest(STREET, resigned, transport="push", feed_position=1)


def test_a_forged_enrolment_key_is_refused(net: Network) -> None:
    net.push(STREET, DISTRICT)
    # The street signs a second enrolment of its community with a key it holds,
    # then the community's next facts under that key.
    feed = street_feed(net)
    own = of_origin(feed, STREET)
    enrolled = next(d for d in own if d["type"] == "ChildEnrolled")
    enrolment = forged_enrolment(enrolled, street_signer(net).public_key)
    checkpoint = copy.deepcopy(own[-1])
    enrolment["seq"], checkpoint["seq"] = own[-1]["seq"] + 1, own[-1]["seq"] + 2
    forged = rechain([enrolment, checkpoint], own[-1]["hash"], street_signer(net))
    with pytest.raises(KeyMismatchError):
        net.nodes[DISTRICT].ingest(STREET, forged, transport="push", feed_position=1)


Mutation = tuple[str, int, int]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """What a relay does to one fact of the batch: alter, re-chain, add or drop."""
    kind = draw(st.sampled_from(["alter", "alter-rechained", "add", "drop"]))
    return kind, draw(st.integers(0, 10_000)), draw(st.integers(1, 10_000))


def mutate(batch: list[dict[str, Any]], mutation: Mutation) -> list[dict[str, Any]]:
    kind, where, value = mutation
    batch = copy.deepcopy(batch)
    index = where % len(batch)
    if kind == "drop":
        return batch[:index] + batch[index + 1 :]
    victim = batch[index]
    if kind == "add":
        added = copy.deepcopy(victim)
        added["payload"] = _changed(added["payload"], value)
        return [*batch[: index + 1], added, *batch[index + 1 :]]
    victim["payload"] = _changed(victim["payload"], value)
    if kind == "alter-rechained":
        run = [i for i, d in enumerate(batch) if d["node"] == victim["node"]]
        after = [i for i in run if i >= index]
        start = (
            batch[run[run.index(index) - 1]]["hash"]
            if index != run[0]
            else (victim["prev_hash"])
        )
        for i, doc in zip(
            after, rechain([batch[i] for i in after], start), strict=True
        ):
            batch[i] = doc
    return batch


def _changed(payload: dict[str, Any], value: int) -> dict[str, Any]:
    """The payload with one field given another value of the same kind."""
    changed = dict(payload)
    for key in sorted(changed):
        old = changed[key]
        if isinstance(old, bool):
            changed[key] = not old
        elif isinstance(old, int):
            changed[key] = old + value
        elif isinstance(old, str) and key != "effective_on":
            changed[key] = old + "改"
        else:
            continue
        return changed
    changed["effective_on"] = (
        "2020-01-03" if payload["effective_on"] != "2020-01-03" else "2020-01-04"
    )
    return changed


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=mutations())
def test_a_batch_a_relay_altered_added_to_or_cut_is_refused_whole(
    net: Network, mutation: Mutation
) -> None:
    district = net.nodes[DISTRICT]
    head = district.ledger.head()
    batch = mutate(street_feed(net), mutation)
    with pytest.raises(SyncError):
        district.ingest(STREET, batch, transport="push", feed_position=1)
    assert district.ledger.head() == head
    assert district.status().forks == []


def test_the_same_batch_unaltered_is_accepted(net: Network) -> None:
    district = net.nodes[DISTRICT]
    batch = street_feed(net)
    report = district.ingest(STREET, batch, transport="push", feed_position=1)
    assert set(report.new) == {STREET, COMMUNITY, SIBLING}
    assert net.held(DISTRICT, COMMUNITY) == net.held(COMMUNITY, COMMUNITY)
