"""Finding the address phones on the venue Wi-Fi can reach this laptop on."""

from __future__ import annotations

import socket


def lan_address() -> str:
    """The IPv4 address of the interface that routes outwards, or 127.0.0.1 without one.

    Connecting a UDP socket sends nothing; it only asks the kernel which interface it
    would use. This works on a venue network with no internet, as long as there is a
    default route (any Wi-Fi gives one); ``gethostname()`` often resolves to 127.0.1.1.
    """
    for probe in ("192.0.2.1", "10.255.255.255"):  # TEST-NET-1, then a private range
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith("0."):
            return address
    return "127.0.0.1"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
