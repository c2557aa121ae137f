"""The live room: Flask-SocketIO server, phone page and projector page."""
