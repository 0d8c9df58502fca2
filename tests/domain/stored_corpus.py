"""Valid fact documents of every type, made by real ledgers, and ways to alter them.

A community records every kind of organization fact (filings with personal data,
direct registrations, upgrades, grades of both scales, graded subsidies, revocations,
corrections of each correctable type, a policy); its street enrols it, pulls it, is
offered a rewritten history and resolves the fork. Their feeds are the corpus.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from domain.canonical import canonical_bytes, chain_hash
from domain.codes import NodeCode
from domain.errors import ForkError, MalformedFactError
from domain.facts import SPAN_DIGITS
from domain.ports import checkpoint_message
from domain.uscc import make_uscc
from domain.wire import from_document, to_document
from sync import runner
from sync.local import LocalPeer
from testdata.generator import Generator
from tests.projections.delivery import open_node
from tests.projections.scenario import KINDS, Clerk

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.facts import Fact
    from domain.node_sync import NodeSync
    from domain.ports import Signer
    from infrastructure.stores import Store

COMMUNITY = "330211001001"
STREET = "330211001"
Document = dict[str, Any]


@dataclass
class Corpus:
    """The two nodes and their documents, in seq order."""

    community: NodeSync
    street: NodeSync
    own: list[Document]
    """The community's journal."""
    network: list[Document]
    """The street's own journal: genesis, enrolment, receipts, checkpoints, forks."""

    @property
    def key(self) -> str:
        """The community's public key."""
        key = self.community.ledger.journal().public_key
        assert key is not None
        return key

    @property
    def signer(self) -> Signer:
        """The community's signing key."""
        assert self.community.signer is not None
        return self.community.signer

    def close(self) -> None:
        """Close both nodes' stores."""
        self.community.ledger.close()
        self.street.ledger.close()


def build(store: Store) -> Corpus:
    """Record the corpus on ``store``."""
    community, street = open_node(store, COMMUNITY), open_node(store, STREET)
    street.enroll(COMMUNITY, community.ledger.journal().public_key or "")
    record_everything(community)
    community.checkpoint()
    runner.pull(street, LocalPeer(community, STREET))
    fork_at(street, community, _feed(community)[1])  # a filing
    street.resolve_fork(COMMUNITY, 2, "站点误导入旧备份，已核实")
    street.checkpoint()
    return Corpus(community, street, _feed(community), _feed(street))


def record_everything(node: NodeSync) -> None:
    """Every kind of organization fact, each correctable type corrected."""
    ledger, code = node.ledger, NodeCode(COMMUNITY)
    generator = Generator(code, seed=5)
    for fact_type, data in list(generator.years(2019, 2020, 2, [code]))[:12]:
        ledger.record(fact_type, data)
    clerk = Clerk(ledger, seed=11)
    for kind in KINDS * 2:
        clerk.act(kind)
    ledger.record("PolicyAdopted", POLICY)
    uscc = make_uscc(generator.rng, "2")
    registered = ledger.record(
        "OrganizationRegistered",
        {"uscc": uscc, "name": "镇海区养老服务中心", "effective_on": "2021-05-06",
         "legal_form": "民办非企业单位", "community": COMMUNITY},
    )  # fmt: skip
    org = registered.org_id or ""
    graded = ledger.record(
        "GradeEvaluated",
        {"org": org, "scheme": "national", "grade": "4a", "score": 820,
         "note": "材料齐全", "effective_on": "2022-03-01"},
    )  # fmt: skip
    decided = ledger.record(
        "SubsidyDecided",
        {"org": uscc, "program": "公益创投", "period": "2022", "amount": "5000.50",
         "shares": {"lottery": "2000.50", "district": "3000"},
         "grade_scheme": "national", "grade": "4A", "note": "首期",
         "effective_on": "2022-04-01"},
    )  # fmt: skip
    _correct(ledger, registered.seq, {"name": "镇海区颐养服务中心"})
    _correct(ledger, graded.seq, {"score": 900, "note": "复核"})
    _correct(ledger, graded.seq, {"effective_on": "2022-03-02"})
    _correct(ledger, decided.seq, {"grade_scheme": "national", "grade": "5A"})
    revoked = ledger.record(
        "SubsidyRevoked",
        {
            "decision_seq": decided.seq,
            "reason": "项目未执行",
            "effective_on": "2022-09-01",
        },
    )
    _correct(ledger, revoked.seq, {"reason": "项目终止", "effective_on": "2022-09-02"})


def _correct(ledger: Any, seq: int, replacement: dict[str, Any]) -> None:
    ledger.record(
        "FactCorrected",
        {"corrects_seq": seq, "reason": "更正", "replacement": replacement},
    )


POLICY = {
    "name": "镇海区社区社会组织补助办法（2021）",
    "effective_on": "2021-01-01",
    "programs": [
        {
            "program": "社区社会组织日常活动补助",
            "bands": {
                "class": {"一类": ["3000", "4000"], "二类": ["2000", "3000.50"]},
                "national": {"5A": ["10000", "20000"]},
            },
            "cap": "4000",
            "split": {"street": 60, "community": 40},
        },
        {"program": "公益创投", "bands": {}, "cap": None, "split": None},
    ],
}


def fork_at(street: NodeSync, community: NodeSync, original: Document) -> None:
    """Offer the street another, signed history of the community from ``original``."""
    fake = copy.deepcopy(original)
    fake["payload"]["name"] = "改写的名字"
    rehash(fake)
    assert community.signer is not None
    offered = [fake, covering_checkpoint(fake, community.signer)]
    try:
        street.ingest(COMMUNITY, offered, transport="push", feed_position=1)
    except ForkError:
        return
    raise AssertionError("the rewritten history was not taken for a fork")


def rehash(doc: Document) -> None:
    """Give ``doc`` the hash its content and ``prev_hash`` make (when it has one)."""
    canonical = canonical_bytes(
        doc["node"], doc["seq"], doc["type"], doc["payload"], doc["recorded_at"],
        actor=doc.get("actor"), check=False,
    )  # fmt: skip
    doc["hash"] = chain_hash(doc["prev_hash"], canonical)


def covering_checkpoint(
    doc: Document, signer: Signer, before: list[Document] | None = None
) -> Document:
    """The origin's signed checkpoint right after ``doc``, as its journal makes one;
    its span lists ``doc`` and the ``before`` documents since their last checkpoint."""
    node, seq, signed = doc["node"], doc["seq"], doc["hash"]
    spanned: list[Document] = []
    for earlier in [*(before or []), doc]:
        spanned = [] if earlier["type"] == "Checkpoint" else [*spanned, earlier]
    span = "".join(d["hash"][:SPAN_DIGITS] for d in spanned)
    on, at = doc["recorded_at"][:10], doc["recorded_at"]
    message = checkpoint_message(node, seq, signed, at, on, span)
    checkpoint: Document = {
        "node": node,
        "seq": seq + 1,
        "type": "Checkpoint",
        "payload": {
            "effective_on": on,
            "signed_seq": seq,
            "signed_hash": signed,
            "span": span,
            "signature": signer.sign(message),
        },
        "recorded_at": at,
        "prev_hash": signed,
        "hash": "",
    }
    rehash(checkpoint)
    return checkpoint


def _feed(node: NodeSync) -> list[Document]:
    own = node.ledger.node.value
    return [d for d in node.feed(0, 1000).facts if d["node"] == own]


# Helpers of the tests: valid documents, altered.

At = tuple[str | int, ...]
"""A position inside a payload: keys and list indices."""


def first(
    docs: list[dict[str, Any]],
    fact_type: str,
    where: Callable[[dict[str, Any]], bool] = lambda _: True,
) -> dict[str, Any]:
    """A copy of the first document of a type (that ``where`` likes)."""
    found = next(d for d in docs if d["type"] == fact_type and where(d["payload"]))
    return copy.deepcopy(found)


def altered(doc: dict[str, Any], path: At, value: Any) -> dict[str, Any]:
    """``doc`` with the payload value at ``path`` replaced, hash recomputed."""
    doc = copy.deepcopy(doc)
    *inner, last = path
    target = doc["payload"]
    for key in inner:
        target = target[key]
    target[last] = value
    # No canonical form: the hash stays, the document must be refused anyway.
    with contextlib.suppress(TypeError):
        rehash(doc)
    return doc


def refused(doc: object) -> MalformedFactError:
    """The refusal of a document by the ingest's first step."""
    with pytest.raises(MalformedFactError) as caught:
        from_document(doc)
    return caught.value


def accepted(doc: dict[str, Any]) -> Fact:
    """The fact a document is accepted as, checked to be kept exactly as sent."""
    fact = from_document(doc)
    assert to_document(fact) == doc  # kept exactly as sent
    return fact


def spare_bits(text: str) -> str:
    """The same bytes in base64, with the last character's spare bits set."""
    stem = text.rstrip("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet[alphabet.index(stem[-1]) | 1]
    return stem[:-1] + last + "=" * (len(text) - len(stem))
