"""The web interface's routes, one module per part of the site."""
