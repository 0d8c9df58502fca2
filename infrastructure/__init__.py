"""Adapters to what lies outside the domain: where stores live, the event store's
recorders, keys, tokens, settings and owner-only files."""
