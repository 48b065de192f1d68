"""Images of many stories' bodies loaded in one query, with their renditions.

A story body's image blocks otherwise load their images once per story and their renditions
once per image; a feed of twenty stories would cost forty queries more than a feed of text.
Within ``images_preloaded(stories)``, StoryImageChooserBlock takes its images from here. They
are read when the first body image is asked for: a story page whose body is remembered
(cirsite.base.templatetags.fragments) reads none."""

from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.images import get_image_model

PRELOADED_IMAGES = ContextVar("preloaded_body_images", default=None)


def body_image_ids(stories):
    ids = set()
    for story in stories:
        for item in story.body.raw_data:
            if item["type"] == "image" and isinstance(item["value"], dict):
                image_id = item["value"].get("image")
                if isinstance(image_id, int):
                    ids.add(image_id)
    return ids


def load_images(ids):
    if not ids:
        return {}
    return get_image_model().objects.prefetch_related("renditions").in_bulk(ids)


class PreloadedImages:
    """The images of the stories' bodies by id, read from the database on first use."""

    def __init__(self, stories):
        self.stories = stories
        self.images = None

    def loaded(self):
        if self.images is None:
            self.images = load_images(body_image_ids(self.stories))
        return self.images

    def __contains__(self, image_id):
        return image_id in self.loaded()

    def get(self, image_id):
        return self.loaded().get(image_id)


@contextmanager
def images_preloaded(stories):
    token = PRELOADED_IMAGES.set(PreloadedImages(stories))
    try:
        yield
    finally:
        PRELOADED_IMAGES.reset(token)
