"""Compute: indicators and plausibility, as pure functions of validated tables."""
