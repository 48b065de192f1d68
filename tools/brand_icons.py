"""Draws the PNG and ICO favicons from the same geometry as static/brand/mark.svg, so
browsers, phones and feed readers that want a bitmap get our mark. Run `make icons` after
changing the mark; the files are committed."""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parents[1] / "static" / "brand"
NAVY, WHITE, ORANGE = (11, 37, 69), (255, 255, 255), (242, 140, 40)
SUPERSAMPLE = 8


def draw_mark(size, rounded=True):
    """The mark at `size` pixels: drawn large then scaled down for smooth edges."""
    big = size * SUPERSAMPLE
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = 14 * unit if rounded else 0
    draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=radius, fill=NAVY)
    # The "c": a 15-unit ring open on the right (45 degrees either side), stroke 8.
    centre, ring, stroke = 32 * unit, 15 * unit, 8 * unit
    box = [centre - ring - stroke / 2, centre - ring - stroke / 2]
    box += [centre + ring + stroke / 2, centre + ring + stroke / 2]
    inner = stroke
    draw.arc(box, start=45, end=315, fill=WHITE, width=round(inner))
    for angle_end in ((42.6, 21.4), (42.6, 42.6)):  # round caps
        x, y = angle_end[0] * unit, angle_end[1] * unit
        draw.ellipse([x - stroke / 2, y - stroke / 2, x + stroke / 2, y + stroke / 2], fill=WHITE)
    dot_x, dot_y, dot_r = 47 * unit, 32 * unit, 5.5 * unit
    draw.ellipse([dot_x - dot_r, dot_y - dot_r, dot_x + dot_r, dot_y + dot_r], fill=ORANGE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    for size, name in ((32, "favicon-32.png"), (192, "icon-192.png"), (512, "icon-512.png")):
        draw_mark(size).save(BRAND / name, optimize=True)
    # iOS rounds the corners itself and shows transparency as black, so a full square.
    draw_mark(180, rounded=False).convert("RGB").save(BRAND / "apple-touch-icon.png", optimize=True)
    draw_mark(48).save(BRAND / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for path in sorted(BRAND.glob("*.png")) + [BRAND / "favicon.ico"]:
        print(path.relative_to(BRAND.parents[1]))


if __name__ == "__main__":
    main()
