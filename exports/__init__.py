"""Exports: reports, action lists and the follow-up file."""
