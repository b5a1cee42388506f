"""`make bench`: measure build speed and memory on a synthetic portfolio."""
