"""Acceptance (issue 16, item 5) over HTTP: once a street's copy of a community's
subsidy has its amount edited in the database, `POST /views/rebuild` and every view
route answer 409 `chain-broken` naming the origin and seq — or, forced by an auditor,
lead with `chain_broken` — until the row is restored and verified; never a 500."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import assert_problem, token
from tests.factories import filing, subsidy
from tests.projections.tampering import Tamperer
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"
ORG = f"{COMMUNITY}:备1"
PAID, FORGED = b'"amount_fen":350000', b'"amount_fen":950000'
READS: list[tuple[str, dict[str, str]]] = [
    ("/organizations", {}),
    (f"/organizations/{ORG}", {}),
    ("/rollup", {}),
    ("/reconciliation", {}),
    ("/audit/diff", {"from": "2000-01-01T00:00:00Z", "to": "2999-01-01T00:00:00Z"}),
    (f"/audit/timeline/{ORG}", {}),
]


class Forgery:
    """A street holding a community's subsidy, and the stored row to edit."""

    def __init__(self, store: Store) -> None:
        self.net = Network(store, [STREET, COMMUNITY])
        community = self.net.nodes[COMMUNITY].ledger
        community.record("OrganizationFiled", filing("备1", "城东“银龄”舞蹈队"))
        self.seq = community.record("SubsidyDecided", subsidy("备1")).seq
        self.net.pull(STREET, COMMUNITY)
        self.tamper = Tamperer(store, NodeCode(STREET), NodeCode(COMMUNITY))
        self.kept = self.tamper.rows()[self.seq - 1].state
        self.auditor = token(self.net, STREET, "auditor")
        self.clerk = token(self.net, STREET, "clerk")

    def forge(self) -> None:
        self.tamper.set_state(self.seq, self.kept.replace(PAID, FORGED))

    def restore(self) -> None:
        self.tamper.set_state(self.seq, self.kept)

    def refused(self, response: Any) -> str:
        """The refusal's detail, after checking it names the origin and seq."""
        body = assert_problem(response, 409, "chain-broken")
        assert (body["origin"], body["seq"]) == (COMMUNITY, self.seq)
        assert body["reason"].startswith("hash does not match the fact's content")
        assert body["detail"].startswith(
            f"chain broken at origin {COMMUNITY} seq {self.seq}: hash does not match"
        )
        return str(body["detail"])


@pytest.fixture
def forgery(store: Store) -> Iterator[Forgery]:
    found = Forgery(store)
    yield found
    found.net.close()


@contextlib.contextmanager
def started(store: Store) -> Iterator[TestClient]:
    """A client of the street's API, once its start-up verification has ended."""
    app = create_app(NodeCode(STREET), store)
    with TestClient(app) as client:
        app.state.verifying.join()
        yield client


def test_every_view_route_refuses_over_an_edited_amount_until_restored_and_verified(
    forgery: Forgery, store: Store
) -> None:
    with started(store) as api:
        before = api.get("/rollup", headers=forgery.auditor).json()
        forgery.forge()
        detail = forgery.refused(api.post("/views/rebuild", headers=forgery.clerk))
        assert detail.endswith(
            f"the views were not rebuilt — run tierledger audit verify {STREET} "
            "for every problem"
        )
        verified = api.get("/audit/verify", headers=forgery.auditor).json()
        assert not verified["ok"]
        for path, params in READS:
            forgery.refused(api.get(path, params=params, headers=forgery.auditor))
        forgery.refused(api.get("/organizations", headers=forgery.clerk))
        # Check the refused rebuild left the views as they were (the amount paid).
        forced = api.get(
            "/rollup", params={"allow_broken": True}, headers=forgery.auditor
        )
        assert forced.json()["children"] == before["children"]
        forgery.restore()
        assert api.get("/audit/verify", headers=forgery.auditor).json()["ok"]
        for path, params in READS:
            answer = api.get(path, params=params, headers=forgery.auditor)
            assert answer.status_code == 200, (path, answer.text)
            assert "chain_broken" not in answer.json()
        assert api.post("/views/rebuild", headers=forgery.clerk).status_code == 200


def test_an_auditor_may_force_an_answer_that_leads_with_every_break(
    forgery: Forgery, store: Store
) -> None:
    with started(store) as api:
        forgery.forge()
        api.get("/audit/verify", headers=forgery.auditor)
        for path, params in READS:
            forced = {**params, "allow_broken": "true"}
            answer = api.get(path, params=forced, headers=forgery.auditor)
            assert answer.status_code == 200, (path, answer.text)
            [mark] = answer.json()["chain_broken"]
            assert (mark["origin"], mark["seq"]) == (COMMUNITY, forgery.seq)
        # Check a clerk may not: forcing is an auditor's decision.
        clerk = api.get(
            "/organizations", params={"allow_broken": True}, headers=forgery.clerk
        )
        assert_problem(clerk, 403, "forbidden")


def test_a_server_started_over_an_edited_amount_refuses_after_its_own_verification(
    forgery: Forgery, store: Store
) -> None:
    forgery.forge()
    with started(store) as api:  # no one has verified: the server does, at start
        forgery.refused(api.get("/rollup", headers=forgery.auditor))
        forgery.refused(api.post("/views/rebuild", headers=forgery.clerk))


def test_a_chinese_reader_gets_the_whole_refusal_in_chinese_and_the_data_in_english(
    forgery: Forgery, store: Store
) -> None:
    chinese = {"Accept-Language": "zh-CN"}
    with started(store) as api:
        forgery.forge()
        auditor = {**forgery.auditor, **chinese}
        verified = api.get("/audit/verify", headers=auditor).json()
        [broken] = [o for o in verified["origins"] if not o["ok"]]
        assert broken["problems"][0].startswith(
            f"seq {forgery.seq}: hash does not match the fact's content"
        )
        refused = assert_problem(
            api.get("/rollup", headers=auditor), 409, "chain-broken"
        )
        assert refused["detail"].startswith(
            f"来源节点 {COMMUNITY} 的哈希链在序号 {forgery.seq} 处损坏："
            "哈希与事实内容不符（数据、类型、序号或时间戳被改动）；"
        )
        assert refused["reason"].startswith("hash does not match the fact's content")
        forced = api.get("/rollup", params={"allow_broken": True}, headers=auditor)
        [mark] = forced.json()["chain_broken"]
        assert mark["reason"].startswith("hash does not match the fact's content")
