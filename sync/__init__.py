"""Upward sync between tiers (grows with the sync issue)."""
