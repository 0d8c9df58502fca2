"""Who is asking, over HTTP: the principal behind a request and the role rules.

One dependency serves the API (bearer tokens) and the web interface (session
cookies), so the same role rules guard both; ``api`` and ``web`` import it, and
it imports neither.
"""
