"""Upward sync between tiers: pull, push and bundles over the one ingest path."""
