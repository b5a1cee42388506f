"""Check: typed rows and every finding at once, against the data dictionary."""
