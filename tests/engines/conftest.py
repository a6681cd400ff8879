"""The engine fixture; the helpers live in engine_runner.py.

Kept out of conftest.py: each test folder has a conftest, and importing
``conftest`` by name would pick whichever was loaded first.
"""

from engine_runner import engines_python

__all__ = ["engines_python"]
