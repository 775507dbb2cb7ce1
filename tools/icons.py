"""Draws KeyScope's icons (a blue rounded square with a white scope ring) as PNG files.

Pure standard library so it runs anywhere the build runs: `python3 tools/icons.py extension/icons`.
Sizes: 16/32 (toolbar), 48 (extensions page), 64 and 96 (Firefox's high-density listings),
128 (Chrome Web Store and install dialogs). With a second directory it also draws the stores'
440x280 promo tile there: `python3 tools/icons.py extension/icons store`.
"""
import struct
import sys
import zlib
from pathlib import Path

BLUE = (0, 72, 128)
WHITE = (255, 255, 255)


def pixel(x, y, size):
    """Colour and alpha of one pixel, sampled 4x4 for smooth edges."""
    acc = [0.0, 0.0, 0.0, 0.0]
    for sy in range(4):
        for sx in range(4):
            px = (x + (sx + 0.5) / 4) / size
            py = (y + (sy + 0.5) / 4) / size
            r = 0.2
            dx = max(abs(px - 0.5) - (0.5 - r), 0)
            dy = max(abs(py - 0.5) - (0.5 - r), 0)
            if dx * dx + dy * dy > r * r:
                continue
            d = ((px - 0.5) ** 2 + (py - 0.5) ** 2) ** 0.5
            ring = 0.20 <= d <= 0.30
            dot = d <= 0.07
            cross = (abs(px - 0.5) < 0.035 or abs(py - 0.5) < 0.035) and 0.3 < d < 0.42
            colour = WHITE if ring or dot or cross else BLUE
            for i in range(3):
                acc[i] += colour[i]
            acc[3] += 255
    n = 16
    return tuple(int(round(c / n)) for c in acc)


def encode(width, height, rows):

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def png(size):
    rows = b""
    for y in range(size):
        rows += b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size))
    return encode(size, size, rows)


def tile(width=440, height=280, mark=200):
    """The promo tile: the icon, large, centred on the brand blue."""
    left, top = (width - mark) // 2, (height - mark) // 2
    rows = b""
    for y in range(height):
        line = []
        for x in range(width):
            if left <= x < left + mark and top <= y < top + mark:
                r, g, b, a = pixel(x - left, y - top, mark)
                # Blend the icon's anti-aliased corners onto the tile's blue.
                line.append(bytes(int(round((c * a + bg * (255 - a)) / 255)) for c, bg in zip((r, g, b), BLUE)) + b"\xff")
            else:
                line.append(bytes(BLUE) + b"\xff")
        rows += b"\x00" + b"".join(line)
    return encode(width, height, rows)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "extension/icons")
    out.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 64, 96, 128):
        (out / f"keyscope-{size}.png").write_bytes(png(size))
    if len(sys.argv) > 2:
        store = Path(sys.argv[2])
        store.mkdir(parents=True, exist_ok=True)
        (store / "promo-440x280.png").write_bytes(tile())
