"""Every message the product shows has its Chinese translation, with the same values."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from domain.errors import InvalidUsccError
from domain.messages import Text
from infrastructure.i18n import (
    CHINESE,
    ENGLISH,
    catalogue,
    locale_from_accept_language,
    locale_from_env,
    translator,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "domain",
    "projections",
    "infrastructure",
    "service",
    "access",
    "api",
    "web",
    "sync",
    "cli",
)
KEYWORDS = {"_": None, "N_": None, "Text": None}
METHODS = [
    ("**.py", "python"),
    # The web's templates call ``_("…")`` too; Jinja2 ships Babel's extractor.
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
]


def command_helps() -> dict[str, str]:
    """Every CLI command's help as its docstring gives it: help → command."""
    import cli.main  # noqa: F401  (builds the app, translating its commands' help)
    from cli.click_words import DOCSTRING_HELPS

    return dict.fromkeys(DOCSTRING_HELPS, "a command's docstring (cli/)")


def shown_messages() -> dict[str, str]:
    """Every template marked in the product's code and web pages, and every
    command's docstring help: template → where."""
    found: dict[str, str] = dict(command_helps())
    for package in PACKAGES:
        for filename, line, message, _, _ in extract_from_dir(
            ROOT / package,
            method_map=METHODS,
            keywords=KEYWORDS,
            comment_tags=(),
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, f"{package}/{filename}:{line}")
    return found


def fields(template: str) -> set[str]:
    """The named values a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_shown_message_has_a_chinese_translation() -> None:
    known = catalogue(CHINESE)
    missing = {t: where for t, where in shown_messages().items() if t not in known}
    assert not missing, "no Chinese for:\n" + "\n".join(
        f'#: {where}\nmsgid "{t}"\nmsgstr ""\n' for t, where in missing.items()
    )


def test_translations_use_the_same_values_as_their_templates() -> None:
    wrong = {
        template: translation
        for template, translation in catalogue(CHINESE).items()
        if fields(template) != fields(translation)
    }
    assert not wrong


def test_no_translation_is_left_over_from_a_message_gone() -> None:
    shown = shown_messages()
    stale = sorted(set(catalogue(CHINESE)) - set(shown))
    assert not stale


def test_an_error_renders_in_the_readers_language() -> None:
    error = InvalidUsccError(
        Text(
            "USCC {uscc}: check character should be {expected}, not {found}",
            uscc="'51100000500002862A'",
            expected="F",
            found="A",
        ),
        field="uscc",
    )
    assert error.code == "invalid-uscc"
    assert error.message.startswith("USCC '51100000500002862A'")
    chinese = error.render(translator(CHINESE))
    assert chinese == "统一社会信用代码 '51100000500002862A'：校验码应为 F，而不是 A"


@pytest.mark.parametrize(
    ("environ", "locale"),
    [
        ({"LANG": "zh_CN.UTF-8"}, CHINESE),
        ({"LANG": "en_US.UTF-8"}, ENGLISH),
        ({"LANG": "C.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, CHINESE),
        ({"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        ({}, ENGLISH),
    ],
)
def test_a_shell_chooses_by_its_locale_variables(
    environ: dict[str, str], locale: str
) -> None:
    assert locale_from_env(environ) == locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", CHINESE),
        ("en-US,en;q=0.9,zh;q=0.8", ENGLISH),
        ("en;q=0.5, zh;q=0.7", CHINESE),
        ("fr-FR", ENGLISH),
        ("zh;q=0", ENGLISH),
        ("zh;q=nonsense", ENGLISH),
        (None, ENGLISH),
        ("", ENGLISH),
    ],
)
def test_a_request_chooses_by_accept_language(header: str | None, locale: str) -> None:
    assert locale_from_accept_language(header) == locale


def test_template_strings_are_extracted(tmp_path: Path) -> None:
    # Check the extraction itself: a page's ``_("…")`` is found, so a page string
    # without Chinese fails the test above.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '<p>{{ _("Signed in as {name}", name=user) }}</p>', "utf-8"
    )
    found = [
        message
        for _, _, message, _, _ in extract_from_dir(
            tmp_path, method_map=METHODS, keywords=KEYWORDS, comment_tags=()
        )
    ]
    assert found == ["Signed in as {name}"]


def test_the_catalogues_hold_no_invisible_characters() -> None:
    hidden = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
    assert not [t for t in catalogue(CHINESE).values() if hidden.search(t)]
