"""What people read for the views' keys: funding sources, tiers, fact types, counts.

The read models keep stable English keys (``street``, ``not_passed``,
``SubsidyDecided``); tables and audit lines show these labels instead, in the
shell's language (``cli.i18n``).
"""

from __future__ import annotations

from cli.i18n import LOCALE, _, say
from domain.messages import Text
from domain.state import STATUS_WORDS
from domain.values import LegalForm
from infrastructure.i18n import ENGLISH
from projections.words import CLASSES, COUNTS, SCHEMES, TIERS


def label(labels: dict[str, str], key: str) -> str:
    """The label of ``key`` in the shell's language (the key itself if unlabelled)."""
    return _(labels[key]) if key in labels else key


def count_label(key: str) -> str:
    """The label of an organization count: a status, or a legal form's name."""
    if key in LegalForm.__members__.values():
        return LegalForm(key).label
    return label(COUNTS, key)


def status_label(status: str) -> str:
    """An organization's status as people read it (English: the stored key)."""
    return say(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def grade_label(scheme: str, grade: str, *, expired: bool = False) -> str:
    """A current grade: ``class:一类`` in English, ``一类（分类评定）`` in Chinese."""
    name = scheme_label(scheme)
    if expired:
        return say(Text("{scheme}:{grade} (过期)", scheme=name, grade=grade))
    return say(Text("{scheme}:{grade}", scheme=name, grade=grade))


def tier_label(tier: str) -> str:
    """A node's tier as people read it (English: the tier's key)."""
    return label(TIERS, tier)


def scheme_label(scheme: str) -> str:
    """A grading scheme as people read it: its key in English (what a clerk types),
    its name in Chinese (``class`` → 分类评定)."""
    return scheme if LOCALE == ENGLISH else label(SCHEMES, scheme)


def class_label(kind: str) -> str:
    """A roll-up's grade class: the grade itself, or its key in English
    (``not_passed``) and its name in Chinese (未通过)."""
    return kind if LOCALE == ENGLISH else label(CLASSES, kind)
