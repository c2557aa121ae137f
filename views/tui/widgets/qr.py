"""A QR code drawn with half-block characters: two rows of modules per line of text."""

from __future__ import annotations

import qrcode
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

# Dark modules black on a white ground, whatever the terminal's theme: phones scan dark on
# light, and the quiet zone (the border) must be light too.
_STYLE = Style(color="#000000", bgcolor="#ffffff")  # true colours: no theme remaps them
_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_matrix(data: str, border: int = 2) -> list[list[bool]]:
    qr = qrcode.QRCode(border=border)
    qr.add_data(data)
    qr.make()
    return qr.get_matrix()


def half_block_lines(matrix: list[list[bool]]) -> list[str]:
    """Two matrix rows per line: top module in the upper half of a cell, bottom in the lower."""
    rows = [*matrix, [False] * len(matrix[0])] if len(matrix) % 2 else matrix
    return [
        "".join(_BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


class QRCode(Widget):
    """The join link as a scannable code; the widget sizes itself to the code."""

    DEFAULT_CSS = """
    QRCode { width: auto; height: auto; }
    """

    def __init__(self, data: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = half_block_lines(qr_matrix(data))

    def get_content_width(self, container, viewport) -> int:
        return len(self.lines[0])

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines)

    def render(self) -> Text:
        return Text("\n".join(self.lines), style=_STYLE, no_wrap=True, end="")
