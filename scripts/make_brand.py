"""Draw the DepotFinity brand images into custom_components/depotfinity/brand/.

The mark is a depot bay (a barrel-vault canopy on two posts) over a charging bolt,
drawn white on a teal-to-green rounded tile. Everything is drawn with Pillow at a
large size and scaled down, so the output is deterministic for a given Pillow
version. Re-run after changing the drawing:

    python scripts/make_brand.py [--output DIR]

Writes icon.png (256x256), icon@2x.png (512x512), logo.png (128 px high),
logo@2x.png (256 px high) and dark_logo.png / dark_logo@2x.png (light lettering
for dark themes). The icon works on both themes, so it has no dark variant.
"""

import argparse
import itertools
import math
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from collections.abc import Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "custom_components" / "depotfinity" / "brand"

MASTER = 2048  # the mark is drawn at this size, then scaled down
TEAL = (8, 128, 138)
GREEN = (52, 196, 120)
WHITE = (255, 255, 255)
INK = (22, 44, 56)  # "Depot" on light backgrounds
INK_DARK = (236, 244, 246)  # "Depot" on dark backgrounds
ACCENT = (14, 150, 128)  # "Finity" on light backgrounds
ACCENT_DARK = (78, 214, 150)  # "Finity" on dark backgrounds
WORDMARK = ("Depot", "Finity")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/DejaVuSans-Bold.ttf",
)

type Point = tuple[float, float]


def _scaled(points: Sequence[Point], size: int) -> list[Point]:
    return [(x * size, y * size) for x, y in points]


def _stroke(draw: ImageDraw.ImageDraw, points: Sequence[Point], width: float) -> None:
    """Draw a polyline with round caps and joins (Pillow's own caps are square)."""
    radius = width / 2
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        nx, ny = (y1 - y2) / length * radius, (x2 - x1) / length * radius
        draw.polygon(
            [(x1 + nx, y1 + ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny), (x1 - nx, y1 - ny)],
            fill=255,
        )
    for x, y in points:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)


def _gradient(size: int) -> Image.Image:
    """Return a diagonal teal (top left) to green (bottom right) square."""
    steps = 256
    ramp = Image.new("L", (steps, steps))
    ramp.putdata([(x + y) // 2 for y in range(steps) for x in range(steps)])
    mask = ramp.resize((size, size), Image.Resampling.BILINEAR)
    return Image.composite(
        Image.new("RGB", (size, size), GREEN), Image.new("RGB", (size, size), TEAL), mask
    )


def draw_mark(size: int) -> Image.Image:
    """Return the square mark (RGBA, transparent outside the tile)."""
    s = MASTER
    tile = Image.new("L", (s, s), 0)
    ImageDraw.Draw(tile).rounded_rectangle((0, 0, s - 1, s - 1), radius=int(s * 0.22), fill=255)

    glyph = Image.new("L", (s, s), 0)
    draw = ImageDraw.Draw(glyph)
    stroke = s * 0.07
    # Depot bay: a low gabled canopy whose eaves overhang two posts, open at the front.
    _stroke(draw, _scaled([(0.14, 0.4), (0.5, 0.2), (0.86, 0.4)], s), stroke)
    _stroke(draw, _scaled([(0.24, 0.37), (0.24, 0.8)], s), stroke)
    _stroke(draw, _scaled([(0.76, 0.37), (0.76, 0.8)], s), stroke)
    # Charging bolt under the canopy.
    bolt = _scaled(
        [
            (0.54, 0.37),
            (0.63, 0.37),
            (0.575, 0.535),
            (0.655, 0.535),
            (0.45, 0.83),
            (0.505, 0.625),
            (0.405, 0.625),
        ],
        s,
    )
    draw.polygon(bolt, fill=255)

    mark = Image.composite(Image.new("RGB", (s, s), WHITE), _gradient(s), glyph)
    mark.putalpha(tile)
    return mark.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    try:
        return ImageFont.load_default(size)
    except OSError:  # Pillow built without FreeType: draw the mark only
        return None


def draw_logo(height: int, *, dark: bool) -> Image.Image:
    """Return the landscape logo: mark plus wordmark, trimmed, ``height`` px high."""
    scale = 4
    h = height * scale
    font = _font(int(h * 0.52))
    if font is None:
        return draw_mark(height)
    first, second = WORDMARK
    colors = (INK_DARK, ACCENT_DARK) if dark else (INK, ACCENT)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    first_width = probe.textlength(first, font=font)
    text_width = int(first_width + probe.textlength(second, font=font))
    gap = int(h * 0.16)
    canvas = Image.new("RGBA", (h + gap + text_width + h, h), (0, 0, 0, 0))
    canvas.alpha_composite(draw_mark(h))
    draw = ImageDraw.Draw(canvas)
    x = h + gap
    y = h * 0.5
    draw.text((x, y), first, font=font, fill=(*colors[0], 255), anchor="lm")
    draw.text((x + first_width, y), second, font=font, fill=(*colors[1], 255), anchor="lm")
    bbox = canvas.getbbox()
    assert bbox is not None
    trimmed = canvas.crop(bbox)
    width = round(trimmed.width * height / trimmed.height)
    return trimmed.resize((width, height), Image.Resampling.LANCZOS)


def images() -> dict[str, Image.Image]:
    """Return every brand image by file name."""
    icon, icon2x = draw_mark(256), draw_mark(512)
    return {
        "icon.png": icon,
        "icon@2x.png": icon2x,
        "logo.png": draw_logo(128, dark=False),
        "logo@2x.png": draw_logo(256, dark=False),
        "dark_logo.png": draw_logo(128, dark=True),
        "dark_logo@2x.png": draw_logo(256, dark=True),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write the brand images; return the exit status."""
    parser = argparse.ArgumentParser(description="Draw the DepotFinity brand images.")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="target directory")
    args = parser.parse_args(argv)
    output: Path = args.output
    output.mkdir(parents=True, exist_ok=True)
    for name, image in images().items():
        image.save(output / name, format="PNG", optimize=True)
        print(f"{output / name}: {image.width}x{image.height}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
