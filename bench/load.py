"""A lean HTTP/1.1 load generator: keep-alive connections on one asyncio loop.

The clients share two cores with the server they measure, so each costs what ``wrk``
would: a request is bytes built beforehand, written, and its answer read by its
``Content-Length`` — no client library, no thread per client.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One request's status, body and latency in seconds."""

    status: int
    body: bytes
    seconds: float


def request_bytes(host: str, path: str, token: str, body: dict[str, Any]) -> bytes:
    """An authenticated ``POST`` of ``body`` as JSON, ready for the wire."""
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _client(
    host: str, port: int, queue: asyncio.Queue[bytes], answers: list[Answer]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while not queue.empty():
            request = queue.get_nowait()
            start = time.perf_counter()
            writer.write(request)
            status, body = await _read_answer(reader)
            answers.append(Answer(status, body, time.perf_counter() - start))
    finally:
        writer.close()
        await writer.wait_closed()


async def _run(
    host: str, port: int, requests: list[bytes], clients: int
) -> list[Answer]:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    answers: list[Answer] = []
    await asyncio.gather(*(_client(host, port, queue, answers) for _ in range(clients)))
    return answers


def send_all(
    host: str, port: int, requests: list[bytes], clients: int
) -> tuple[list[Answer], float]:
    """Every request sent over ``clients`` keep-alive connections; answers, wall s."""
    start = time.perf_counter()
    answers = asyncio.run(_run(host, port, requests, clients))
    return answers, time.perf_counter() - start
