"""Crashes at each step of ingest lose nothing, and the next run completes."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING, Any

import pytest

from domain import application
from sync import bundle, runner
from tests.sync.network import COMMUNITIES, DISTRICT, STREETS, Network

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from infrastructure.stores import Store

COMMUNITY, STREET = COMMUNITIES[0], STREETS[0]


class PowerCutError(RuntimeError):
    """The process dies here."""


@pytest.fixture
def net(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    monkeypatch.setattr(runner, "PAGE", 5)  # several pages from a small journal,
    monkeypatch.setattr(application, "CHECKPOINT_EVERY", 4)  # each on a signed head
    network = Network(store, [DISTRICT, STREET, COMMUNITY])
    network.record(COMMUNITY, 12)
    yield network
    network.close()


def cut_power(
    net: Network,
    at: str,
    *,
    after_commit: bool,
    monkeypatch: pytest.MonkeyPatch,
    on_call: int = 1,
) -> None:
    """Make the node's next storage call die before or after its commit."""
    ledger = net.nodes[at].ledger
    original: Callable[..., Any] = ledger._insert
    calls = {"n": 0}

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] != on_call:
            return original(*args, **kwargs)
        if after_commit:
            original(*args, **kwargs)
        raise PowerCutError("power cut")

    monkeypatch.setattr(ledger, "_insert", dying)


def converged(net: Network) -> bool:
    return (
        net.held(STREET, COMMUNITY) == net.held(COMMUNITY, COMMUNITY)
        and net.verify_everywhere() == {}
    )


@pytest.mark.parametrize("after_commit", [False, True])
def test_a_pull_that_dies_mid_ingest_completes_next_run(
    net: Network, monkeypatch: pytest.MonkeyPatch, after_commit: bool
) -> None:
    cut_power(
        net, STREET, after_commit=after_commit, monkeypatch=monkeypatch, on_call=2
    )
    with pytest.raises(PowerCutError):
        net.pull(STREET, COMMUNITY)
    monkeypatch.undo()
    monkeypatch.setattr(runner, "PAGE", 5)
    held_before = len(net.held(STREET, COMMUNITY))
    assert 0 < held_before < len(net.held(COMMUNITY, COMMUNITY))
    net.pull(STREET, COMMUNITY)
    assert converged(net)


def test_a_push_that_dies_between_pages_completes_next_run(
    net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    cut_power(net, STREET, after_commit=True, monkeypatch=monkeypatch, on_call=2)
    with pytest.raises(PowerCutError):
        net.push(COMMUNITY, STREET)
    monkeypatch.undo()
    monkeypatch.setattr(runner, "PAGE", 5)
    run = net.push(COMMUNITY, STREET)
    assert run.new > 0
    assert converged(net)


def test_an_import_that_dies_mid_bundle_completes_when_run_again(
    net: Network, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "c.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    assert len(bundle.read(path).pages) >= 3
    cut_power(net, STREET, after_commit=False, monkeypatch=monkeypatch, on_call=2)
    with pytest.raises(PowerCutError):
        runner.import_bundle(net.nodes[STREET], path)
    monkeypatch.undo()
    run = runner.import_bundle(net.nodes[STREET], path)
    assert run.duplicates == 5  # the first page survived the crash
    assert converged(net)
    again = runner.import_bundle(net.nodes[STREET], path)
    assert again.new == 0


def test_a_truncated_bundle_is_refused_whole(net: Network, tmp_path: Path) -> None:
    path = tmp_path / "c.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(bundle.BundleError, match="truncated"):
        runner.import_bundle(net.nodes[STREET], path)
    assert net.held(STREET, COMMUNITY) == []
    path.write_bytes(whole)
    runner.import_bundle(net.nodes[STREET], path)
    assert converged(net)


def test_a_bundle_cut_after_whole_lines_is_refused(
    net: Network, tmp_path: Path
) -> None:
    path = tmp_path / "c.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines(keepends=True)
    path.write_bytes(gzip.compress("".join(lines[:-2]).encode("utf-8")))
    with pytest.raises(bundle.BundleError):
        runner.import_bundle(net.nodes[STREET], path)
    assert net.held(STREET, COMMUNITY) == []


def test_an_altered_bundle_is_refused_whole(net: Network, tmp_path: Path) -> None:
    path = tmp_path / "c.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    path.write_bytes(
        gzip.compress(text.replace('"seq":3', '"seq":4', 1).encode("utf-8"))
    )
    with pytest.raises(bundle.BundleError, match="altered or truncated"):
        runner.import_bundle(net.nodes[STREET], path)
