"""The command line's language: Chinese when the shell's locale is, else English."""

from __future__ import annotations

import os

from domain.messages import Text
from infrastructure.i18n import locale_from_env, translator

LOCALE = locale_from_env(os.environ)
_ = translator(LOCALE)
"""A template in the shell's language (``_("…")`` marks it for the catalogue)."""


def say(text: Text) -> str:
    """A message in the shell's language."""
    return text.render(_)
