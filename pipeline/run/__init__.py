"""Run: what changed, each country as a task, outputs written atomically, the manifest."""
