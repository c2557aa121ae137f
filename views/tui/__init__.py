"""The facilitator's console: a Textual app that runs a live session."""
