"""HTTP client of another node's sync endpoints (injectable transport for tests)."""

from __future__ import annotations

from typing import Any

import httpx

from domain.errors import LedgerError
from domain.messages import Text


class PeerError(LedgerError):
    """The other node refused a request or could not be reached."""

    code = "peer-error"


class PeerClient:
    """Talks to one node: its head, feed, ingest and cursor."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        language: str = "en",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # The node's refusals are repeated to this side's operator: in their language.
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
        )

    def close(self) -> None:
        """Release connections."""
        self._http.close()

    def head(self) -> dict[str, Any]:
        """The node's head."""
        return self._call("GET", "/head")

    def feed(self, after: int, limit: int = 500) -> dict[str, Any]:
        """One feed page after a position."""
        return self._call("GET", "/feed", params={"after": after, "limit": limit})

    def ingest(self, body: dict[str, Any]) -> dict[str, Any]:
        """Push facts to the node."""
        return self._call("POST", "/ingest", json=body)

    def cursor(self, source: str) -> int:
        """Where the node's copy of ``source``'s feed ends."""
        found = self._call("GET", "/sync/cursor", params={"source": source})
        return int(found["feed_position"])

    def witness(self, receipt: dict[str, Any]) -> None:
        """Hand the node its parent's signed receipt for the head it holds."""
        self._call("POST", "/sync/witness", json=receipt)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = self.base_url + path
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise PeerError(
                Text(
                    "{url}: {kind}: {error}",
                    url=url,
                    kind=type(error).__name__,
                    error=str(error),
                )
            ) from None
        if response.status_code >= 400:
            raise _problem(response, url)
        if response.status_code == 204:
            return {}
        body = response.json()
        assert isinstance(body, dict)
        return body


def _problem(response: httpx.Response, where: str) -> LedgerError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = PeerError(
        Text(
            "{url} answered {status}: {detail}",
            url=where,
            status=response.status_code,
            detail=body.get("detail", response.text[:200]),
        )
    )
    error.code = str(body.get("code", PeerError.code))
    return error
