"""Draws KeyScope's icons (a blue rounded square with a white scope ring) as PNG files.

Pure standard library so it runs anywhere the build runs: `python3 tools/icons.py extension/icons`.
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


def png(size):
    rows = b""
    for y in range(size):
        rows += b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "extension/icons")
    out.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 96, 128):
        (out / f"keyscope-{size}.png").write_bytes(png(size))
