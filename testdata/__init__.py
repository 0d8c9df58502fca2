"""Realistic data for tests, benchmarks and the demo: a fact generator that writes what
a district's clerks would, the 招宝山 seed scenario, and the example policy."""
