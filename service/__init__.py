"""The node service: one object per node, built in one place, used by every surface."""
