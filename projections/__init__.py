"""Views over the facts a node holds: registry, roll-ups, reconciliation and audit
questions, kept in SQL on SQLite or PostgreSQL."""
