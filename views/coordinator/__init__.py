"""The coordinator's view: every agreed action across sessions and follow-up files."""
