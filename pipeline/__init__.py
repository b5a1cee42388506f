"""Impact Briefs: validated monitoring data in, donor-ready PDF briefs out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("impact-briefs")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
