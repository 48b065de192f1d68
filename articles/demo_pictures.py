"""Pictures drawn here for the demo, so it needs no downloaded photographs.

Each story gets its own illustration: the background colour comes from its first sector, the
motif from its first risk type (a locked grid for ransomware, a flat-lining trace for an
outage, a chain for supply chain...) and the layout varies with the story's slug. Authors get
a monogram portrait."""

import hashlib
import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont

from cirsite.base.models import CustomImage

WIDTH, HEIGHT = 1600, 900
ORANGE, PALE, WHITE = (242, 140, 40), (170, 200, 235), (236, 242, 250)
SECTOR_COLOURS = {
    "healthcare": (10, 70, 90),
    "financial-services": (20, 45, 95),
    "public-sector": (35, 40, 80),
    "education": (55, 40, 95),
    "energy-utilities": (70, 55, 20),
    "transport-logistics": (15, 60, 70),
    "manufacturing": (60, 45, 45),
    "retail-hospitality": (85, 35, 55),
    "technology-media-telecoms": (11, 37, 69),
    "professional-services": (40, 55, 60),
}
MOTIF_DESCRIPTIONS = {
    "ransomware": "a grid of files, a block of them locked and highlighted in orange",
    "outage": "a heartbeat trace that falls flat across a grid of dimmed lights",
    "supply-chain": "a chain of linked nodes with one link broken",
    "data-breach": "rows of records with some streaming out of the grid",
    "espionage": "radar rings with a sweep and a few bright contacts",
    "vulnerability-exploit": "a shield split by a jagged crack",
    "human-error": "a spreadsheet with one row highlighted in orange",
    "ddos": "many arrows converging on a single server",
    "phishing": "an envelope with a hook above it",
}


def _darken(colour, amount):
    return tuple(max(0, int(c * amount)) for c in colour)


def _background(colour):
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    dark = _darken(colour, 0.55)
    for y in range(HEIGHT):
        t = y / HEIGHT
        row = tuple(int(a * (1 - t) + b * t) for a, b in zip(colour, dark, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=row)
    for x in range(0, WIDTH, 80):  # a faint blueprint grid
        draw.line([(x, 0), (x, HEIGHT)], fill=_darken(colour, 1.25), width=1)
    for y in range(0, HEIGHT, 80):
        draw.line([(0, y), (WIDTH, y)], fill=_darken(colour, 1.25), width=1)
    return image, draw


def _padlock(draw, x, y, size, colour):
    body = [x - size, y, x + size, y + size * 1.5]
    draw.arc(
        [x - size * 0.7, y - size * 1.1, x + size * 0.7, y + size * 0.3],
        180,
        360,
        fill=colour,
        width=max(4, size // 4),
    )
    draw.rounded_rectangle(body, radius=size // 4, fill=colour)


def _ransomware(draw, rng):
    cols, rows, cell = 14, 7, 90
    left, top = (WIDTH - cols * cell) // 2, (HEIGHT - rows * cell) // 2
    locked_col, locked_row = rng.randrange(3, cols - 5), rng.randrange(1, rows - 3)
    for c in range(cols):
        for r in range(rows):
            locked = locked_col <= c < locked_col + 4 and locked_row <= r < locked_row + 3
            x, y = left + c * cell, top + r * cell
            draw.rounded_rectangle(
                [x + 10, y + 10, x + cell - 10, y + cell - 10],
                radius=10,
                fill=ORANGE if locked else None,
                outline=PALE,
                width=3,
            )
    cx = left + (locked_col + 2) * cell
    cy = top + (locked_row + 1) * cell
    _padlock(draw, cx, cy - 10, 50, WHITE)


def _outage(draw, rng):
    base = HEIGHT // 2
    points, x = [], 80
    while x < WIDTH * 0.55:
        points += [
            (x, base),
            (x + 40, base),
            (x + 60, base - 180),
            (x + 80, base + 120),
            (x + 100, base),
        ]
        x += 160 + rng.randrange(0, 60)
    points.append((WIDTH - 80, base))
    draw.line(points, fill=ORANGE, width=10, joint="curve")
    for i in range(18):
        for j in range(3):
            cx, cy = 120 + i * 80, 140 + j * 300 + (40 if j == 2 else 0)
            lit = cx < WIDTH * 0.55 and rng.random() > 0.3
            draw.ellipse(
                [cx - 9, cy - 9, cx + 9, cy + 9], fill=WHITE if lit else _darken(PALE, 0.5)
            )


def _supply_chain(draw, rng):
    y0 = HEIGHT // 2
    broken = rng.randrange(3, 6)
    prev = None
    for i in range(9):
        x = 140 + i * 165
        y = y0 + int(math.sin(i + rng.random()) * 90)
        if prev is not None:
            colour = ORANGE if i == broken else PALE
            if i == broken:
                draw.line(
                    [prev, ((prev[0] + x) // 2 - 20, (prev[1] + y) // 2)], fill=colour, width=8
                )
                draw.line(
                    [((prev[0] + x) // 2 + 20, (prev[1] + y) // 2 + 30), (x, y)],
                    fill=colour,
                    width=8,
                )
            else:
                draw.line([prev, (x, y)], fill=colour, width=8)
        r = 44 if i in (0, 8) else 32
        draw.ellipse([x - r, y - r, x + r, y + r], outline=WHITE, width=8)
        prev = (x, y)


def _data_breach(draw, rng):
    for r in range(8):
        for c in range(8):
            x, y = 150 + c * 70, 150 + r * 80
            draw.rounded_rectangle([x, y, x + 52, y + 20], radius=6, fill=PALE)
    for _ in range(60):
        x = rng.randrange(760, WIDTH - 80)
        y = rng.randrange(120, HEIGHT - 120)
        w = rng.randrange(24, 60)
        draw.rounded_rectangle(
            [x, y, x + w, y + 16], radius=5, fill=ORANGE if rng.random() > 0.5 else WHITE
        )


def _espionage(draw, rng):
    cx, cy = WIDTH // 2 + rng.randrange(-200, 200), HEIGHT // 2
    for radius in range(80, 700, 110):
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=PALE, width=3)
    start = rng.randrange(0, 360)
    draw.pieslice(
        [cx - 600, cy - 600, cx + 600, cy + 600], start, start + 35, fill=_darken(ORANGE, 0.7)
    )
    for _ in range(7):
        angle, dist = rng.random() * math.tau, rng.randrange(120, 520)
        x, y = cx + math.cos(angle) * dist, cy + math.sin(angle) * dist
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=ORANGE)


def _vulnerability(draw, rng):
    cx, top = WIDTH // 2, 120
    shield = [
        (cx - 300, top),
        (cx + 300, top),
        (cx + 300, top + 330),
        (cx, top + 660),
        (cx - 300, top + 330),
    ]
    draw.polygon(shield, outline=WHITE, width=14)
    crack, y, x = [], top, cx + rng.randrange(-40, 40)
    while y < top + 620:
        crack.append((x, y))
        y += rng.randrange(50, 90)
        x += rng.choice((-1, 1)) * rng.randrange(30, 70)
    draw.line(crack, fill=ORANGE, width=12)


def _human_error(draw, rng):
    highlighted = rng.randrange(2, 9)
    for r in range(11):
        y = 110 + r * 62
        if r == highlighted:
            draw.rectangle([160, y, WIDTH - 160, y + 50], fill=ORANGE)
        for c in range(8):
            x = 160 + c * 160
            draw.rectangle([x, y, x + 160, y + 50], outline=PALE, width=2)
            if r and r != highlighted:
                draw.line(
                    [(x + 20, y + 25), (x + 20 + rng.randrange(40, 120), y + 25)],
                    fill=WHITE,
                    width=6,
                )


def _network(draw, rng):
    nodes = [(rng.randrange(80, WIDTH - 80), rng.randrange(80, HEIGHT - 80)) for _ in range(16)]
    for i, start in enumerate(nodes):
        for end in nodes[i + 1 : i + 4]:
            draw.line([start, end], fill=PALE, width=3)
    for i, (x, y) in enumerate(nodes):
        r = rng.randrange(10, 36)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=ORANGE if i % 5 == 0 else WHITE)


MOTIFS = {
    "ransomware": _ransomware,
    "outage": _outage,
    "supply-chain": _supply_chain,
    "data-breach": _data_breach,
    "espionage": _espionage,
    "vulnerability-exploit": _vulnerability,
    "human-error": _human_error,
}


def _save(picture, title, alt_text, filename, credit="cirsite illustration"):
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    image = CustomImage(
        title=title, alt_text=alt_text, credit=credit, file=ImageFile(buffer, name=filename)
    )
    image.save()
    return image


def story_picture(slug, sector_slug, risk_slug):
    """The story's illustration (drawn once; found again by title on later loads)."""
    title = f"Demo illustration: {slug}"
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    # Layout only: the same slug always draws the same picture.
    rng = random.Random(hashlib.sha256(slug.encode()).digest())  # noqa: S311
    picture, draw = _background(SECTOR_COLOURS.get(sector_slug, (11, 37, 69)))
    MOTIFS.get(risk_slug, _network)(draw, rng)
    motif = MOTIF_DESCRIPTIONS.get(risk_slug, "a network of connected systems")
    return _save(picture, title, f"Illustration: {motif}", f"{slug}.jpg")


def author_portrait(slug, name):
    """A monogram portrait for a demo author, in place of a photograph."""
    title = f"Demo portrait: {slug}"
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    seed = hashlib.sha256(slug.encode()).digest()
    colour = list(SECTOR_COLOURS.values())[seed[0] % len(SECTOR_COLOURS)]
    size = 640
    picture = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([size * 0.62, -size * 0.2, size * 1.3, size * 0.48], fill=_darken(ORANGE, 0.9))
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=240)
    draw.text((size / 2, size / 2), initials, fill=WHITE, font=font, anchor="mm")
    return _save(picture, title, f"Monogram of {name}", f"{slug}.jpg", credit="")
