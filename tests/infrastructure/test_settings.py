"""Settings: the names the README documents, and nothing else, in tierledger.env."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.codes import NodeCode
from infrastructure.settings import Settings
from infrastructure.settings_file import SettingsError, read_settings_file
from infrastructure.stores import Store

README = Path(__file__).parents[2] / "README.md"
DOCUMENTED = ("HOST", "PORT", "MAX_BODY_BYTES", "HOME", "DATABASE_URL", "NAMESPACE",
              "POOL_SIZE", "LOG_LEVEL", "SESSION_IDLE_MINUTES", "SESSION_HOURS",
              "LOCKOUT_FAILURES", "LOCKOUT_MINUTES", "SECURE_COOKIES",
              "IMPORT_MAX_ROWS", "IMPORT_MAX_FILE_BYTES",
              "IMPORT_MAX_UNCOMPRESSED_BYTES", "IMPORT_MAX_ZIP_RATIO")  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder, and an environment with no TIERLEDGER_ setting."""
    monkeypatch.chdir(tmp_path)
    for name in DOCUMENTED:
        monkeypatch.delenv(f"TIERLEDGER_{name}", raising=False)
    return tmp_path


def write(folder: Path, text: str) -> None:
    (folder / "tierledger.env").write_text(text, encoding="utf-8")


def test_the_settings_are_the_documented_names() -> None:
    assert {name.upper() for name in Settings.model_fields} == set(DOCUMENTED)
    readme = README.read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in DOCUMENTED)


def test_the_file_takes_short_names_and_full_names(folder: Path) -> None:
    write(folder, "# the station's settings\nPORT=8601\n"
                  "export TIERLEDGER_HOST=0.0.0.0\n"
                  "pool_size = 4  # a small server\nNAMESPACE='east_'\n"
                  "HOME=\n")  # fmt: skip
    found = Settings()
    assert (found.port, found.host, found.pool_size) == (8601, "0.0.0.0", 4)
    assert (found.namespace, found.home) == ("east_", Path(".tierledger"))


def test_the_environment_wins_over_the_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder, "PORT=8601\n")
    monkeypatch.setenv("TIERLEDGER_PORT", "8602")
    assert Settings().port == 8602
    assert Settings(port=8603).port == 8603


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PROT=8601\n", "tierledger.env line 1: PROT is not a setting (the settings "
                        "are DATABASE_URL, HOME, HOST, IMPORT_MAX_FILE_BYTES, "
                        "IMPORT_MAX_ROWS, IMPORT_MAX_UNCOMPRESSED_BYTES, "
                        "IMPORT_MAX_ZIP_RATIO, LOCKOUT_FAILURES, "
                        "LOCKOUT_MINUTES, LOG_LEVEL, MAX_BODY_BYTES, NAMESPACE, "
                        "POOL_SIZE, PORT, SECURE_COOKIES, SESSION_HOURS, "
                        "SESSION_IDLE_MINUTES)"),
        ("PORT=8601\nTIERLEDGER_PEER_TOKEN=x\n", "tierledger.env line 2: "
         "TIERLEDGER_PEER_TOKEN is not a setting"),
        ("\n\nPORT 8601\n", "tierledger.env line 3: expected NAME=value"),
        ("PORT=8601\nTIERLEDGER_PORT=8602\n", "tierledger.env line 2: PORT is "
         "already set on line 1"),
    ],
)  # fmt: skip
def test_the_file_refuses_what_is_not_a_setting(
    folder: Path, text: str, message: str
) -> None:
    write(folder, text)
    with pytest.raises(SettingsError) as refused:
        Settings()
    assert refused.value.code == "invalid-setting"
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PORT=abc\n", "setting PORT (TIERLEDGER_PORT) cannot be 'abc': it must be "
                       "a port number from 1 to 65535"),
        ("POOL_SIZE=2\n", "setting POOL_SIZE (TIERLEDGER_POOL_SIZE) cannot be '2': "
                          "it must be a number of connections from 3 to 100"),
        ("LOG_LEVEL=loud\n", "setting LOG_LEVEL (TIERLEDGER_LOG_LEVEL) cannot be "
                             "'loud': it must be one of debug, info, warning, error"),
        ("DATABASE_URL=mysql://clerk:s3cret@db/x\n", "setting DATABASE_URL "
         "(TIERLEDGER_DATABASE_URL) must be a postgresql:// URL"),
    ],
)  # fmt: skip
def test_a_bad_value_is_named_with_what_it_must_be(
    folder: Path, text: str, message: str
) -> None:
    write(folder, text)
    with pytest.raises(SettingsError) as refused:
        Settings()
    assert refused.value.message == message
    assert "s3cret" not in refused.value.message


def test_a_file_that_is_not_utf8_is_refused(folder: Path) -> None:
    (folder / "tierledger.env").write_bytes("HOST=城东\n".encode("gbk"))
    with pytest.raises(SettingsError, match="is not UTF-8 text"):
        Settings()


NAMES = st.sampled_from(sorted(Settings.model_fields))
VALUES = st.text(st.characters(codec="utf-8", exclude_characters="\r\n\"'#\x0b\x0c"
                               "\x1c\x1d\x1e\x85\u2028\u2029"),
                 max_size=20).map(str.strip)  # fmt: skip


@given(st.dictionaries(NAMES, VALUES, max_size=8), st.booleans(), st.booleans())
def test_any_file_of_settings_reads_back_as_written(
    given_values: dict[str, str], prefixed: bool, quoted: bool
) -> None:
    lines = [
        f"{'TIERLEDGER_' if prefixed else ''}{name.upper()}="
        f"{f'{chr(39)}{value}{chr(39)}' if quoted else value}"
        for name, value in given_values.items()
    ]
    with tempfile.TemporaryDirectory() as folder:  # a fresh one per example
        path = Path(folder) / "tierledger.env"
        path.write_text("\n".join(lines), encoding="utf-8")
        found = read_settings_file(path, Settings.model_fields)
    assert found == {name: value for name, value in given_values.items() if value}


def test_the_store_takes_its_pool_from_the_settings(folder: Path) -> None:
    write(folder, "POOL_SIZE=5\nDATABASE_URL=postgresql://clerk@db:5432/ledger\n")
    store = Store.from_settings(Settings())
    env = store.ledger_env(NodeCode("330211001"))
    # 5 connections: 2 for the views, 3 for the ledger (2 opened with it).
    assert (env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]) == ("2", "1")
