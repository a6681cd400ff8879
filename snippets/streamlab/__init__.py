"""streamlab: small, tested reference implementations of streaming ideas.

Every module is deterministic (no wall clock, seeded randomness, no network),
typed (mypy strict) and documented with its time and space complexity. The
handbook's pages include these modules by named section; the test suite runs
every line they show.
"""

__all__: list[str] = []
