"""Publish: the same figures as open data for donors' systems (Data Package, HXL, IATI)."""
