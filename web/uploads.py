"""Spreadsheets uploaded for import, kept between the preview and the confirmation.

The file the clerk confirms is the file the preview read: it stays on the node,
owner-only, under a random name only the uploading account can confirm, and is
deleted once recorded, or after an hour. A re-upload is never trusted to be the same.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from infrastructure.files import private_file

if TYPE_CHECKING:
    from pathlib import Path

KEPT_SECONDS = 3600
"""How long an upload waits for its confirmation."""
_NAME = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


@dataclass(frozen=True)
class Upload:
    """One uploaded file: where it is, who sent it, what it was called."""

    token: str
    path: Path
    account: str
    filename: str


class Uploads:
    """A node's uploads folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, data: bytes, account: str, filename: str) -> Upload:
        """Keep ``data`` for ``account`` under a new random token."""
        self.sweep()
        token = secrets.token_urlsafe(18)
        path = private_file(self.folder / token)
        path.write_bytes(data)
        about = private_file(self.folder / f"{token}.json")
        about.write_text(
            json.dumps({"account": account, "filename": filename}), "utf-8"
        )
        return Upload(token, path, account, filename)

    def find(self, token: str, account: str) -> Upload | None:
        """The upload ``token`` names, if ``account`` sent it and it has not expired."""
        self.sweep()
        if not token or len(token) > 40 or any(c not in _NAME for c in token):
            return None
        path, about = self.folder / token, self.folder / f"{token}.json"
        if not path.exists() or not about.exists():
            return None
        kept = json.loads(about.read_text("utf-8"))
        if kept.get("account") != account:
            return None
        return Upload(token, path, account, str(kept.get("filename", "")))

    def drop(self, upload: Upload) -> None:
        """Delete an upload (recorded, or given up)."""
        for path in (upload.path, self.folder / f"{upload.token}.json"):
            path.unlink(missing_ok=True)

    def sweep(self) -> None:
        """Delete uploads older than an hour."""
        if not self.folder.exists():
            return
        limit = time.time() - KEPT_SECONDS
        for entry in os.scandir(self.folder):
            if entry.is_file() and entry.stat().st_mtime < limit:
                os.unlink(entry.path)
