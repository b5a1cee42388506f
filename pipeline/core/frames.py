"""Typed access to pandas cells and labels: pandas types them loosely, our code precisely."""

from __future__ import annotations

from collections.abc import Hashable
from typing import cast


def line_of(label: Hashable) -> int:
    """A row label as the physical line it is: every territory table is indexed by line."""
    return int(cast(int, label))


def as_float(value: object) -> float:
    """A table cell that holds a figure, as a float."""
    return float(cast(float, value))
