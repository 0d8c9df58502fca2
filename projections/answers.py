"""Answers kept by the point they stand at: what a node knew at a view position, on
a business date, never changes, so a dashboard asked again is answered at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

Answer = TypeVar("Answer")
KEPT = 16
"""Answers kept per kind of question (the oldest asked goes first)."""


class Answers(Generic[Answer]):
    """The last few answers to one kind of question, by the question's key."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._found: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Answer]) -> Answer:
        """The answer kept for ``key``, else ``compute()``'s, kept."""
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
        answer = compute()  # outside the lock: two askers may both compute once
        with self._lock:
            self._found[key] = answer
            while len(self._found) > self.kept:
                self._found.popitem(last=False)
        return answer

    def clear(self) -> None:
        """Forget every answer (the views were rebuilt)."""
        with self._lock:
            self._found.clear()
