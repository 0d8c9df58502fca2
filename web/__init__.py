"""The web interface a node serves at ``/``: server-rendered pages for people.

Clerks, street staff and auditors sign in with named accounts; every page and form
works without JavaScript (HTMX and ECharts, vendored, only enhance), in Chinese by
default. ``web.site.mount`` adds it to the app ``api.main.create_app`` builds.
"""
