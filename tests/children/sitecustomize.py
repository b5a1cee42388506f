"""Python runs this at the start of every process a test starts under coverage: conftest puts
this folder on PYTHONPATH. Coverage has started by then (its .pth file runs first); this
pauses it inside the same library functions as the test's own process (tests/untraced.py).

tests/ itself is not put on the path: a process sees no more of the project than it would.
"""

import importlib.util
import os
import sys
from pathlib import Path

if os.environ.get("COVERAGE_PROCESS_CONFIG") or os.environ.get("COVERAGE_PROCESS_START"):
    _spec = importlib.util.spec_from_file_location(
        "_tests_untraced", Path(__file__).parents[1] / "untraced.py"
    )
    if _spec is not None and _spec.loader is not None:
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_spec.name] = _module
        try:
            _spec.loader.exec_module(_module)
        except ImportError:  # a Python without coverage, not the project's: nothing to pause
            del sys.modules[_spec.name]
        else:
            _module.pause_on_import()
