"""Duiding prompts: the round questions as data files (nl.toml, en.toml)."""
