"""The one configuration class every surface (CLI, HTTP API, sync) reads."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from domain.errors import excerpt
from domain.messages import N_, Text
from infrastructure.settings_file import PREFIX, SettingsError, read_settings_file
from infrastructure.spreadsheets.limits import Limits
from infrastructure.stores import POOL_SIZE, VIEW_CONNECTIONS

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

SETTINGS_FILE = Path("tierledger.env")
"""Read from the current folder, when there is one."""
_LIMITS = Limits()


class Settings(BaseSettings):
    """Where nodes keep their stores and keys, and how the API serves them
    (``TIERLEDGER_*`` environment variables, or a ``tierledger.env`` file whose
    names are the short ones — ``PORT`` — or the same variables)."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, extra="ignore"
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
    pool_size: int = Field(default=POOL_SIZE, ge=VIEW_CONNECTIONS + 1, le=100)
    """Most PostgreSQL connections one open node holds (2 of them for its views)."""
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    """What `tierledger serve` logs: info adds a line per request."""
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

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise refusal(error) from None

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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Options, then the environment, then ``tierledger.env`` (strictly read)."""
        return init_settings, env_settings, SettingsFile(settings_cls, SETTINGS_FILE)


class SettingsFile(PydanticBaseSettingsSource):
    """The settings file as a source (``infrastructure/settings_file.py``)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(
        self, field: FieldInfo, field_name: str
    ) -> tuple[Any, str, bool]:
        """Unused: ``__call__`` reads the whole file at once."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        return read_settings_file(self.path, self.settings_cls.model_fields)


EXPECTED = {
    "home": N_("a folder"),
    "database_url": N_("a postgresql:// URL"),
    "namespace": N_("at most 20 lowercase letters, digits and _"),
    "host": N_("a host name or address"),
    "port": N_("a port number from 1 to 65535"),
    "max_body_bytes": N_("a number of bytes, at least 1024"),
    "pool_size": N_("a number of connections from 3 to 100"),
    "log_level": N_("one of debug, info, warning, error"),
}
ANY_VALUE = N_("a valid value")
"""What a refused value must be, for a setting EXPECTED does not describe."""
SECRET = {"database_url"}
"""Settings whose value is never repeated in a message (a URL holds a password)."""


def refusal(error: ValidationError) -> SettingsError:
    """The first refused value, as the one-line error an operator reads."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    names = {"name": field.upper(), "variable": PREFIX + field.upper()}
    expected = Text(EXPECTED.get(field, ANY_VALUE))
    if field in SECRET:
        return SettingsError(
            Text(
                "setting {name} ({variable}) must be {expected}",
                **names,
                expected=expected,
            )
        )
    return SettingsError(
        Text(
            "setting {name} ({variable}) cannot be {value}: it must be {expected}",
            **names,
            value=excerpt(first.get("input")),
            expected=expected,
        )
    )


@lru_cache
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
