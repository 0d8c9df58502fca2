"""The one configuration class every surface (CLI, HTTP API, sync) reads."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure.spreadsheets.limits import Limits

_LIMITS = Limits()


class Settings(BaseSettings):
    """Where nodes keep their stores and keys, and how the API serves them
    (``TIERLEDGER_*`` environment variables or a ``tierledger.env`` file)."""

    model_config = SettingsConfigDict(
        env_prefix="TIERLEDGER_",
        env_file="tierledger.env",
        env_ignore_empty=True,
        extra="ignore",
    )

    home: Path = Field(default=Path(".tierledger"))
    """Folder holding one sub-folder per node (SQLite file, keys)."""
    database_url: str | None = None
    """postgresql://user:password@host:port/dbname — one schema per node when set."""
    namespace: str = Field(default="", pattern=r"^[a-z0-9_]{0,20}$")
    """Prefix of node schema names, so several networks can share one database."""
    host: str = "127.0.0.1"
    """Where `tierledger serve` listens."""
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    """Largest request body the API reads (a page of 1 000 facts fits); else 413."""

    import_max_rows: int = Field(default=_LIMITS.max_rows, ge=1)
    """Rows of one sheet or CSV file that `tierledger import` reads at most."""
    import_max_file_bytes: int = Field(default=_LIMITS.max_file_bytes, ge=1)
    """Size of a file `tierledger import` reads at most."""
    import_max_uncompressed_bytes: int = Field(
        default=_LIMITS.max_uncompressed_bytes, ge=1
    )
    """A workbook's size once decompressed, at most (checked before decompressing)."""
    import_max_zip_ratio: int = Field(default=_LIMITS.max_zip_ratio, ge=1)
    """How many times larger than compressed a workbook's part may grow, at most."""

    def import_limits(self) -> Limits:
        """The limits of `tierledger import`."""
        return Limits(
            max_rows=self.import_max_rows,
            max_file_bytes=self.import_max_file_bytes,
            max_uncompressed_bytes=self.import_max_uncompressed_bytes,
            max_zip_ratio=self.import_max_zip_ratio,
        )

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("database_url must start with postgresql://")
        return value


@lru_cache
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
