"""Textual pieces both consoles use (views/tui and views/coordinator); neither imports the other."""
