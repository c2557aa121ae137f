"""Duiding views: the command line, the console (TUI) and the web server."""
