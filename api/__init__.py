"""The HTTP API every node serves (grows with the API issue)."""
