"""Episode artwork drawn for the demo: square, 1400 px, RGB (what Apple asks for), one per
episode, with the show's mark, the episode's number and a colour of its own."""

import hashlib
import io

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model

SIZE = 1400
NAVY, WHITE, ORANGE, PALE = (11, 37, 69), (255, 255, 255), (242, 140, 40), (201, 214, 232)
PALETTE = [(11, 37, 69), (10, 70, 90), (55, 40, 95), (85, 35, 55), (15, 60, 70)]


def draw_artwork(slug, label, kicker):
    seed = hashlib.sha256(slug.encode()).digest()
    background = PALETTE[seed[0] % len(PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    # Sound rings spreading from the corner, the show's orange dot at their centre.
    for radius in range(260, 1500, 150):
        draw.ellipse(
            [SIZE - radius, -radius, SIZE + radius, radius],
            outline=tuple(min(255, c + 40) for c in background),
            width=6 if radius % 300 else 3,
        )
    draw.ellipse([SIZE - 200, -200, SIZE + 200, 200], fill=ORANGE)
    big = ImageFont.load_default(size=520 if len(label) <= 3 else 300)
    small = ImageFont.load_default(size=72)
    draw.text((110, SIZE - 560), label, fill=WHITE, font=big, anchor="ls")
    draw.text((120, SIZE - 300), "cirsite podcast", fill=WHITE, font=small)
    draw.text((120, SIZE - 200), kicker, fill=PALE, font=ImageFont.load_default(size=56))
    return image


def episode_artwork(slug, label, kicker):
    """The episode's artwork image, drawn once and found again by title."""
    Image_ = get_image_model()
    title = f"Episode artwork: {slug}"
    existing = Image_.objects.filter(title=title).first()
    if existing is not None:
        return existing
    buffer = io.BytesIO()
    draw_artwork(slug, label, kicker).save(buffer, format="JPEG", quality=88)
    artwork = Image_(
        title=title,
        alt_text=f"cirsite podcast artwork: {label}, {kicker}",
        file=ImageFile(buffer, name=f"{slug}-artwork.jpg"),
    )
    artwork.save()
    return artwork
