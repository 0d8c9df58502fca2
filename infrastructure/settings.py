"""The one configuration class every surface (CLI, HTTP API, sync) reads."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    """A web session ends after this long without use."""
    session_hours: int = Field(default=12, ge=1, le=7 * 24)
    """... and this long after signing in, however busy."""
    lockout_failures: int = Field(default=5, ge=1, le=100)
    """Wrong passwords in a row that lock an account ..."""
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    """... for this long."""
    secure_cookies: bool = False
    """Mark the session cookie `Secure`: set it when the node is served over HTTPS
    (behind a TLS-terminating proxy), so the browser never sends it in the clear."""

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
