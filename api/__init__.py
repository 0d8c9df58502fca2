"""The HTTP API every node serves: facts, views, audit and sync, RFC 9457 errors."""
