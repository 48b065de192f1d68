"""Podcast artwork as Apple Podcasts requires it: a square JPEG or PNG, 1400 to 3000 pixels a
side, in the RGB colour space. Apps and directories reject or redraw anything else."""

from PIL import Image, UnidentifiedImageError

MIN_SIDE = 1400
MAX_SIDE = 3000
FORMATS = {"JPEG": "JPEG", "PNG": "PNG"}


def artwork_problem(image):
    """Why a library image cannot be podcast artwork, or None when it can."""
    try:
        with image.open_file() as handle, Image.open(handle) as picture:
            file_format, mode, (width, height) = picture.format, picture.mode, picture.size
    except (OSError, UnidentifiedImageError):
        return "The artwork file could not be read; upload it again as a JPEG or PNG."
    if file_format not in FORMATS:
        return (
            f"Podcast artwork must be a JPEG or PNG file; this one is {file_format or 'unknown'}."
        )
    if width != height:
        return f"Podcast artwork must be square; this image is {width}×{height} pixels."
    if not MIN_SIDE <= width <= MAX_SIDE:
        return (
            f"Podcast artwork must be between {MIN_SIDE}×{MIN_SIDE} and {MAX_SIDE}×{MAX_SIDE} "
            f"pixels; this image is {width}×{height}."
        )
    if mode != "RGB":
        return (
            f"Podcast artwork must use the RGB colour space without transparency; this image "
            f"is {describe_mode(mode)}. Export it as RGB."
        )
    return None


def describe_mode(mode):
    return {
        "CMYK": "CMYK (print colours)",
        "L": "greyscale",
        "LA": "greyscale with transparency",
        "RGBA": "RGB with a transparency channel",
        "P": "palette-based",
        "1": "black and white",
    }.get(mode, mode)
