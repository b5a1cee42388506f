"""The two tiers of the suite: `make test` runs everything in full; `make test-fast`
(TEST_TIER=fast) is the inner loop, under 30 s.

The fast tier leaves out the tests marked slow (real PDFs, a browser, a cluster) and runs each
hypothesis property on a fifth of its examples. It still runs every other test over the whole
path. In both tiers a worker draws each distinct chart once (tests/conftest.py).
"""

from __future__ import annotations

import os

#: True under `make test-fast`.
FAST = os.environ.get("TEST_TIER") == "fast"

#: The fast tier's share of each property's examples.
FAST_SHARE = 5


def examples(wanted: int) -> int:
    """A property's own number of examples, or a fifth of them (at least 2) in the fast tier.

    A hypothesis profile cannot do this: a test's own `@settings(max_examples=…)` overrides it.
    """
    return max(2, wanted // FAST_SHARE) if FAST else wanted
