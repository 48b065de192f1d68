"""Giving back the memory that making image renditions takes.

Decoding a large original and encoding its AVIF, WebP and JPEG renditions (Pillow and its
encoders) takes tens of megabytes of C heap. glibc keeps freed heap inside the process, so a
web worker that made renditions once stayed about 50 MB bigger for the rest of its life. After
a request (or any unit of work) that made renditions, the freed heap is handed back to the
system with glibc's ``malloc_trim``; where there is no glibc nothing happens.
"""

import ctypes
import ctypes.util

from django.core.signals import request_finished


def _load_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _load_trim()
_rendition_made = False


def note_rendition_made():
    global _rendition_made
    _rendition_made = True


def give_back_image_memory(**kwargs):
    global _rendition_made
    if _rendition_made:
        _rendition_made = False
        if _malloc_trim is not None:
            _malloc_trim(0)


def connect():
    request_finished.connect(give_back_image_memory, dispatch_uid="give-back-image-memory")
