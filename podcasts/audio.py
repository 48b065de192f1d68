"""What an uploaded episode file really is, found by reading it rather than trusting its name.

Podcast apps and Apple's directory accept MP3 and AAC in an MP4 container (M4A); anything
else is refused here with a message an editor can act on.
"""

from dataclasses import dataclass

from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

MAX_AUDIO_BYTES = 200 * 1024 * 1024

MP3_MIME = "audio/mpeg"
M4A_MIME = "audio/x-m4a"


class AudioRefused(ValueError):
    """The file cannot be an episode; the message says why, in the editor's terms."""


@dataclass(frozen=True)
class AudioFacts:
    mime_type: str
    extension: str
    duration: float
    size: int


def megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def inspect_audio(fileobj, size):
    """Facts about ``fileobj`` (open, seekable, ``size`` bytes long), or AudioRefused."""
    if size > MAX_AUDIO_BYTES:
        raise AudioRefused(
            f"This file is {megabytes(size)}; episode audio can be at most "
            f"{megabytes(MAX_AUDIO_BYTES)}. Export it at a lower bitrate (a 128 kbps MP3 holds "
            "about three and a half hours in 200 MB) and upload it again."
        )
    if size == 0:
        raise AudioRefused("This file is empty. Upload an MP3 or M4A recording.")
    fileobj.seek(0)
    head = fileobj.read(12)
    fileobj.seek(0)
    try:
        if head[4:8] == b"ftyp":
            return _inspect_m4a(fileobj, size)
        if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
            return _inspect_mp3(fileobj, size)
    except MutagenError as error:
        raise AudioRefused(
            f"This file looks like audio but could not be read ({error}). It may be damaged "
            "or cut short; export it again as MP3 or M4A."
        ) from None
    finally:
        fileobj.seek(0)
    raise AudioRefused(
        f"This file is not MP3 or M4A audio ({describe_content(head)}), whatever its name says. "
        "Podcast apps accept MP3 and M4A (AAC) only: export the episode in one of those."
    )


def _inspect_mp3(fileobj, size):
    audio = MP3(fileobj)
    # mutagen marks a header it had to hunt for as sketchy: typically a non-MP3 file in which
    # a few bytes happened to look like a frame.
    if audio.info.sketchy or not audio.info.length:
        raise AudioRefused(
            "This file starts like an MP3 but its audio frames could not be found. It may be "
            "damaged or another format renamed to .mp3; export it again as MP3 or M4A."
        )
    return AudioFacts(MP3_MIME, "mp3", round(audio.info.length, 3), size)


def _inspect_m4a(fileobj, size):
    audio = MP4(fileobj)
    codec = getattr(audio.info, "codec", "") or ""
    if not codec.startswith("mp4a"):
        raise AudioRefused(
            f"This MP4 file holds {codec or 'no audio track'}, not AAC audio. Podcast apps play "
            "M4A files with AAC audio only; export the episode as AAC (M4A) or MP3."
        )
    if not audio.info.length:
        raise AudioRefused("This M4A file has no playable length; export it again.")
    return AudioFacts(M4A_MIME, "m4a", round(audio.info.length, 3), size)


KNOWN_SIGNATURES = [
    (b"RIFF", "it is a WAV or other RIFF file"),
    (b"fLaC", "it is FLAC audio"),
    (b"OggS", "it is an Ogg file"),
    (b"%PDF", "it is a PDF document"),
    (b"PK\x03\x04", "it is a ZIP archive or office document"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
]


def describe_content(head):
    for signature, description in KNOWN_SIGNATURES:
        if head.startswith(signature):
            return description
    if head and all(32 <= byte < 127 or byte in (9, 10, 13) for byte in head):
        return "it contains plain text"
    return "its contents are not a recognised audio format"


def format_duration(seconds):
    """HH:MM:SS, the form Apple's itunes:duration and most players show."""
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def iso8601_duration(seconds):
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S"
