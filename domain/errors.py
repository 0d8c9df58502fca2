"""Domain errors.

Every error carries a stable ``code`` (kebab-case) that the CLI prints and the HTTP
API returns in its problem+json body, and a one-line message a clerk can act on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.messages import Text, untranslated

if TYPE_CHECKING:
    from collections.abc import Callable


def excerpt(value: object, limit: int = 24) -> str:
    """A short, printable excerpt of a value for an error message: input is quoted,
    never echoed whole (it may be megabytes, or a number too long to print)."""
    if type(value) is int and not -(2**63) <= value < 2**63:
        return "<an integer beyond 64 bits>"
    if isinstance(value, str):
        text = repr(value[: limit + 1])
    elif value is None or type(value) in (bool, int, float):
        text = repr(value)
    else:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit] + "…"


class LedgerError(Exception):
    """Base of every error the ledger reports to its users."""

    code = "ledger-error"

    def __init__(self, message: Text, *, field: str | None = None) -> None:
        self.text = message
        super().__init__(message.render())
        self.field = field

    @property
    def message(self) -> str:
        """The message in English (logs, and readers who chose no language)."""
        return self.text.render()

    def render(self, translate: Callable[[str], str] = untranslated) -> str:
        """The message in the reader's language."""
        return self.text.render(translate)


class InputError(LedgerError):
    """Input that is malformed before any rule is consulted."""

    code = "invalid-input"


class InvalidNodeCodeError(InputError):
    code = "invalid-node-code"


class UnknownDivisionError(InputError):
    """A well-formed division code the shipped division list does not name."""

    code = "unknown-division"


class InvalidUsccError(InputError):
    code = "invalid-uscc"


class InvalidIdNumberError(InputError):
    code = "invalid-id-number"


class InvalidAmountError(InputError):
    code = "invalid-amount"


class InvalidDateError(InputError):
    code = "invalid-date"


class InvalidFieldError(InputError):
    code = "invalid-field"


class RequestKeyReusedError(InputError):
    code = "idempotency-key-reused"


class MissingFieldError(InputError):
    code = "missing-field"


class UnknownFieldError(InputError):
    code = "unknown-field"


class UnknownFactTypeError(InputError):
    code = "unknown-fact-type"


class InvalidGradeError(InputError):
    code = "invalid-grade"


class RuleError(LedgerError):
    """Well-formed input that would break one of the ledger's invariants."""

    code = "rule-violated"


class DuplicateError(RuleError):
    """A second fact of one identity: ``held_seq`` names the fact already held."""

    code = "duplicate"

    def __init__(
        self,
        message: Text,
        *,
        field: str | None = None,
        held_seq: int | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.held_seq = held_seq


class DuplicateUsccError(DuplicateError):
    code = "duplicate-uscc"


class DuplicateFilingError(DuplicateError):
    code = "duplicate-filing-number"


class UpgradeNotAllowedError(RuleError):
    code = "upgrade-not-allowed"


class OrganizationClosedError(RuleError):
    code = "organization-deregistered"


class UnknownOrganizationError(RuleError):
    code = "unknown-organization"


class GradeSchemeMismatchError(RuleError):
    code = "grade-scheme-mismatch"


class SharesMismatchError(RuleError):
    code = "shares-mismatch"


class DuplicateSubsidyError(DuplicateError):
    code = "duplicate-subsidy"


class DuplicateEvaluationError(DuplicateError):
    code = "duplicate-evaluation"


class UnknownFactError(RuleError):
    code = "unknown-fact"


class NotCorrectableError(RuleError):
    code = "not-correctable"


class OutsideSubtreeError(RuleError):
    code = "outside-subtree"


class NodeNotFoundError(LedgerError):
    code = "node-not-found"


class NodeExistsError(LedgerError):
    code = "node-exists"


class UnavailableError(LedgerError):
    """Something the command needs is not there to use: a database the role may
    not create, an address another process listens on."""

    code = "unavailable"


class ConcurrentWriteError(LedgerError):
    code = "concurrent-write"


class BatchRejectedError(LedgerError):
    """A batch of facts in which at least one is invalid; nothing was recorded."""

    code = "batch-rejected"

    def __init__(self, problems: list[tuple[int, LedgerError]]) -> None:
        lines = ", ".join(str(number) for number, _ in problems[:10])
        if len(problems) <= 10:
            text = Text(
                "{count} invalid line(s): {lines}; nothing was recorded",
                count=len(problems),
                lines=lines,
            )
        else:
            text = Text(
                "{count} invalid line(s): {lines} and {more} more; nothing was "
                "recorded",
                count=len(problems),
                lines=lines,
                more=len(problems) - 10,
            )
        super().__init__(text)
        self.problems = problems


class ChainBrokenError(LedgerError):
    """A chain this node holds failed verification: its views do not answer over it."""

    code = "chain-broken"

    def __init__(
        self, origin: str, seq: int, reason: str | Text, consequence: Text
    ) -> None:
        # A reason just found is a Text, shown in the reader's language; one kept
        # by an earlier verification is stored English.
        super().__init__(
            Text(
                "chain broken at origin {origin} seq {seq}: {reason}; {consequence}",
                origin=origin,
                seq=seq,
                reason=reason,
                consequence=consequence,
            )
        )
        self.origin, self.seq, self.reason = origin, seq, str(reason)


class UnreadableSnapshotError(LedgerError):
    """The latest stored journal snapshot (a cache of the state) cannot be read."""

    code = "unreadable-snapshot"

    def __init__(self, seq: int) -> None:
        super().__init__(
            Text(
                "the stored snapshot at seq {seq} cannot be read: it was damaged or "
                "edited; run `tierledger verify --drop-snapshots` to discard it (the "
                "facts are not affected)",
                seq=seq,
            )
        )


class SyncError(LedgerError):
    """Facts from another node that this node refuses; nothing was recorded."""

    code = "sync-refused"


class MalformedFactError(SyncError, InputError):
    code = "malformed-fact"


class AlteredFactError(SyncError):
    code = "altered-fact"


class SeqGapError(SyncError):
    code = "seq-gap"


class UncoveredFactError(SyncError):
    code = "uncovered-facts"


class ForkError(SyncError):
    code = "fork"


class BadSignatureError(SyncError):
    code = "bad-signature"


class KeyMismatchError(SyncError):
    code = "key-mismatch"


class UnknownOriginError(SyncError):
    code = "unknown-origin"


class AlreadyEnrolledError(RuleError):
    code = "already-enrolled"


class NoSigningKeyError(LedgerError):
    code = "no-signing-key"
