"""Accounts: Argon2id hashes, names and passwords checked, lockout, stamps."""

from __future__ import annotations

import json
import stat
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidFieldError
from infrastructure.accounts import AccountStore, Lockout, SignInRefusedError

if TYPE_CHECKING:
    from pathlib import Path

PASSWORD = "correct horse battery"
CHEAP = PasswordHasher.from_parameters(CHEAPEST)


@pytest.fixture
def accounts(tmp_path: Path) -> AccountStore:
    return AccountStore(tmp_path / "node" / "users.json", CHEAP)


def test_a_password_is_kept_only_as_an_argon2id_hash_in_an_owner_only_file(
    tmp_path: Path,
) -> None:
    accounts = AccountStore(tmp_path / "users.json")  # the real parameters
    accounts.add("王秀英", "clerk", PASSWORD)
    text = (tmp_path / "users.json").read_text("utf-8")
    # Check the file: the hash, never the password; owner-only.
    assert PASSWORD not in text
    assert json.loads(text)[0]["password_hash"].startswith("$argon2id$v=19$m=65536,t=3")
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    account = accounts.sign_in("王秀英", PASSWORD, Lockout())
    assert account.actor == "user:王秀英"
    assert "argon2" not in repr(account)  # a log line of it shows no hash
    assert account.stamp not in repr(account)


def test_sign_in_refuses_a_wrong_password_and_an_unknown_name_alike(
    accounts: AccountStore,
) -> None:
    accounts.add("王秀英", "clerk", PASSWORD)
    with pytest.raises(SignInRefusedError) as wrong:
        accounts.sign_in("王秀英", "not the password", Lockout())
    with pytest.raises(SignInRefusedError) as unknown:
        accounts.sign_in("李建国", PASSWORD, Lockout())
    # Check: the same words, beside the password field; nothing tells which was wrong.
    assert wrong.value.text == unknown.value.text
    assert wrong.value.field == "password"


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    accounts: AccountStore,
) -> None:
    accounts.add("王秀英", "clerk", PASSWORD)
    for _ in range(3):
        with pytest.raises(SignInRefusedError):
            accounts.sign_in("王秀英", "not the password", Lockout(3, 15))
    with pytest.raises(SignInRefusedError) as locked:
        accounts.sign_in("王秀英", PASSWORD, Lockout(3, 15))
    # Check: locked for the minutes set, and saying so.
    assert "locked" in locked.value.message
    assert "15 minutes" in locked.value.message


def test_a_success_resets_the_count_of_failures(accounts: AccountStore) -> None:
    accounts.add("王秀英", "clerk", PASSWORD)
    for _ in range(2):
        with pytest.raises(SignInRefusedError):
            accounts.sign_in("王秀英", "not the password", Lockout(3, 15))
    accounts.sign_in("王秀英", PASSWORD, Lockout(3, 15))
    assert accounts.get("王秀英").failures == 0  # type: ignore[union-attr]
    with pytest.raises(SignInRefusedError):
        accounts.sign_in("王秀英", "not the password", Lockout(3, 15))
    accounts.sign_in("王秀英", PASSWORD, Lockout(3, 15))  # one failure: not locked


def test_a_password_change_and_disabling_change_the_stamp(
    accounts: AccountStore,
) -> None:
    first = accounts.add("王秀英", "clerk", PASSWORD).stamp
    second = accounts.set_password("王秀英", "another long password").stamp
    third = accounts.disable("王秀英").stamp
    assert len({first, second, third}) == 3
    # Check: a disabled account cannot sign in, even with its password.
    with pytest.raises(SignInRefusedError):
        accounts.sign_in("王秀英", "another long password", Lockout())


def test_a_hash_made_with_other_parameters_is_made_anew_at_sign_in(
    tmp_path: Path,
) -> None:
    path = tmp_path / "users.json"
    AccountStore(path, CHEAP).add("王秀英", "clerk", PASSWORD)
    accounts = AccountStore(path)
    accounts.sign_in("王秀英", PASSWORD, Lockout())
    assert accounts.get("王秀英").password_hash.startswith(  # type: ignore[union-attr]
        "$argon2id$v=19$m=65536,t=3"
    )


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("王 秀英", "clerk", PASSWORD, "name"),
        ("", "clerk", PASSWORD, "name"),
        ("王秀英\u200b", "clerk", PASSWORD, "name"),
        ("x" * 33, "clerk", PASSWORD, "name"),
        ("王秀英", "peer", PASSWORD, "role"),
        ("王秀英", "clerk", "short", "password"),
        ("王秀英", "clerk", "x" * 257, "password"),
        ("wangxiuying", "clerk", "WangXiuYing", "password"),
    ],
)
def test_refuses_a_bad_name_role_or_password_naming_the_field(
    accounts: AccountStore, name: str, role: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidFieldError) as refused:
        accounts.add(name, role, password)
    assert refused.value.field == field
    assert accounts.entries() == []


def test_refuses_a_second_account_of_the_same_name(accounts: AccountStore) -> None:
    accounts.add("王秀英", "clerk", PASSWORD)
    with pytest.raises(InvalidFieldError, match="already exists"):
        accounts.add("王秀英", "auditor", PASSWORD)


@given(
    password=st.text(min_size=10, max_size=40), other=st.text(min_size=1, max_size=5)
)
def test_only_the_password_given_signs_in(
    tmp_path_factory: pytest.TempPathFactory, password: str, other: str
) -> None:
    accounts = AccountStore(tmp_path_factory.mktemp("a") / "users.json", CHEAP)
    accounts.add("someone", "clerk", "pw:" + password)
    assert accounts.sign_in("someone", "pw:" + password, Lockout(100, 1)).name
    with pytest.raises(SignInRefusedError):
        accounts.sign_in("someone", "pw:" + password + other, Lockout(100, 1))
