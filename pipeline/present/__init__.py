"""Present: sentences, charts, template values, HTML and PDF bytes (no file writes)."""
