"""Typed read models: what a node's queries answer, to the API, the CLI and tests.

Pydantic models, frozen; money in integer fen (``*_fen``). The API declares them as
response models, so ``/openapi.json`` describes every field; the CLI renders tables
from their attributes and JSON from ``model_dump(mode="json")``.
"""
