"""Reconciliation rules: ids, severities, plain-language messages (中文/English)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """A rule's stable id, severity and title."""

    id: str
    severity: str
    title_zh: str
    title_en: str


RULES = {
    rule.id: rule
    for rule in (
        Rule("R1", "error", "补助金额超出等级档次", "amount outside the policy's band"),
        Rule("R2", "error", "无有效等级仍获补助", "subsidy without a grade in force"),
        Rule(
            "R3",
            "error",
            "补助所引等级与评定不符",
            "cited grade differs from the evaluation",
        ),
        Rule(
            "R4", "error", "重复补助或分担比例不符", "paid twice, or split off policy"
        ),
        Rule("R5", "error", "资金来源合计不等于金额", "funding shares do not add up"),
        Rule("R6", "error", "重复登记或重复备案", "registered or filed twice"),
        Rule("R7", "error", "引用未知组织", "organization unknown at this node"),
        Rule("R8", "error", "注销后仍有事实", "facts after deregistration"),
        Rule(
            "R9",
            "warning",
            "转登记信息与区登记不符",
            "upgrade disagrees with registration",
        ),
    )
}

MESSAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("R1", "band"): (
        "{name}：{grade}档次为 ¥{low}–{high}，补助 ¥{amount} 超出档次",
        "{name}: {grade} earns ¥{low}–{high}; the decision pays ¥{amount}",
    ),
    ("R1", "cap"): (
        "{name}：{program} 单笔上限 ¥{cap}，补助 ¥{amount} 超出上限",
        "{name}: {program} is capped at ¥{cap}; the decision pays ¥{amount}",
    ),
    ("R1", "no_band"): (
        "{name}：政策未为{grade}设定 {program} 补助档次",
        "{name}: the policy sets no {program} band for {grade}",
    ),
    ("R2", "not_passed"): (
        "{name}：{day} 评定结果为{grade}（未通过），不应获得补助",
        "{name}: graded {grade} (not passed) on {day}; no subsidy is due",
    ),
    ("R2", "absent"): (
        "{name}：{day} 无任何评定等级，不应获得按等级的补助",
        "{name}: no grade at all on {day}; no grade-based subsidy is due",
    ),
    ("R2", "expired"): (
        "{name}：等级{grade}在 {day} 已过有效期",
        "{name}: grade {grade} had expired by {day}",
    ),
    ("R3", ""): (
        "{name}：补助引用{cited}，而 {by} 评定为{recorded}",
        "{name}: the decision cites {cited}, but {by} graded it {recorded}",
    ),
    ("R4", "twice"): (
        "{name}：{program} {period} 被 {tiers} 补助 {count} 次",
        "{name}: {program} {period} paid {count} times, by {tiers}",
    ),
    ("R4", "split"): (
        "{name}：资金分担不符合政策比例（{split}）",
        "{name}: funding shares break the policy's split ({split})",
    ),
    ("R5", ""): (
        "{name}：各资金来源合计 ¥{total}，补助金额 ¥{amount}",
        "{name}: funding shares add up to ¥{total}; the amount is ¥{amount}",
    ),
    ("R6", "uscc"): (
        "{name}：统一社会信用代码 {uscc} 被多个节点登记",
        "{name}: USCC {uscc} registered at more than one node",
    ),
    ("R6", "filing"): (
        "{name}：在社区 {community} 被重复备案",
        "{name}: filed more than once in community {community}",
    ),
    ("R7", ""): (
        "组织 {name} 在本节点未知，却有 {count} 条相关事实",
        "organization {name} is unknown here, yet {count} facts name it",
    ),
    ("R7", "filing"): (
        "{name}：登记引用的转登记备案在本节点未知",
        "{name}: registered as upgraded from a filing unknown here",
    ),
    ("R8", ""): (
        "{name}：{closed_on} 已注销，之后仍有 {count} 条事实",
        "{name}: deregistered on {closed_on}, yet {count} later facts",
    ),
    ("R9", ""): (
        "{name}：转登记为 {up_uscc}（{up_on}），{by} 登记为 {reg_uscc}（{reg_on}）",
        "{name}: upgraded as {up_uscc} on {up_on}; "
        "{by} registered {reg_uscc} on {reg_on}",
    ),
}


PENDING_NOTE = (
    "（待核：尚未收到 {nodes} 此后的记录）",
    " (pending: nothing yet from {nodes} recorded since)",
)
"""Appended to a pending finding's messages: the descendants it waits for."""


def message(rule: str, case: str, **values: Any) -> tuple[str, str]:
    """The Chinese and English message of a rule's case, filled in."""
    zh, en = MESSAGES[rule, case]
    return zh.format(**values), en.format(**values)


def pending_note(nodes: str) -> tuple[str, str]:
    """The Chinese and English notes that a finding waits for ``nodes``."""
    zh, en = PENDING_NOTE
    return zh.format(nodes=nodes), en.format(nodes=nodes)
