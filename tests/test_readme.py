"""The README runs as written: its set-up command on a copy of this checkout, then
every command block in order in one shell session, each transcript's output checked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.readme_blocks import Block, blocks, matches

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARK = "@@README-STEP {block} {step}@@"
SPLIT = re.compile(r"^@@README-STEP (\d+) (\d+)@@$", re.MULTILINE)


def checkout_copy(into: Path) -> Path:
    """The files of this checkout (committed or not, ignored ones left out)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def setup_commands(first: Block) -> str:
    """The first block's set-up and demo line; the test-suite line is this run."""
    lines = first.steps[0].command.splitlines()
    kept = [line for line in lines if line.strip() and "pytest" not in line]
    assert any("tierledger demo" in line for line in kept), "no demo line in block 1"
    return "\n".join(kept)


def session_script(rest: list[Block]) -> str:
    """Every later block in one bash session, a marker before each step."""
    parts = ["set -euo pipefail", "exec 2>&1"]
    parts.append("trap 'kill $(jobs -p) 2>/dev/null' EXIT")  # servers started as jobs
    for b, block in enumerate(rest):
        for s, step in enumerate(block.steps):
            parts.append(f"printf '\\n{MARK.format(block=b, step=s)}\\n'")
            if block.language == "console":  # an example may show a failing command
                parts += ["set +e", step.command, "set -e"]
            else:
                parts.append(step.command)
    parts.append(f"printf '\\n{MARK.format(block=-1, step=-1)}\\n'")
    return "\n".join(parts) + "\n"


def environment(workdir: Path) -> dict[str, str]:
    """A reader's shell: the venv the set-up made on PATH, no tierledger settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIERLEDGER_")}
    env.update(
        PATH=f"{workdir / '.venv' / 'bin'}:{env.get('PATH', '')}",
        COLUMNS="200",
        LANG="C.UTF-8",  # English, as a reader's shell is unless it says otherwise
        NO_COLOR="1",
    )
    for overriding in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(overriding, None)
    return env


def outputs(text: str) -> dict[tuple[int, int], str]:
    """Each step's output, by (block, step)."""
    pieces = SPLIT.split(text)
    return {
        (int(pieces[i]), int(pieces[i + 1])): pieces[i + 2]
        for i in range(1, len(pieces) - 2, 3)
    }


@pytest.mark.readme
def test_every_command_block_runs_and_prints_what_it_shows(tmp_path: Path) -> None:
    found = blocks(README)
    assert found[0].language == "sh", "the README must start with its set-up block"
    workdir = checkout_copy(tmp_path / "checkout")
    env = environment(workdir)
    setup = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", setup_commands(found[0])],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert setup.returncode == 0, f"README set-up failed:\n{setup.stderr[-3000:]}"
    rest = found[1:]
    done = subprocess.run(
        ["bash", "-c", session_script(rest)],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    by_step = outputs(done.stdout)
    before = ""
    for b, block in enumerate(rest):
        for s, step in enumerate(block.steps):
            where = f"README.md line {step.line}: {step.command.splitlines()[0]}"
            assert (b, s) in by_step, f"{where} never ran; before it:\n{before}"
            before = f"{where}\n{by_step[(b, s)][-3000:]}"
            if step.expected is not None:
                actual = by_step[(b, s)]
                assert matches(step.expected, actual), (
                    f"{where} printed:\n{actual}\nbut the README shows:\n"
                    + "\n".join(step.expected)
                )
    assert done.returncode == 0, f"the session stopped:\n{done.stdout[-3000:]}"
