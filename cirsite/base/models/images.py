from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.images.models import Image as WagtailImage

from cirsite.base.image_memory import note_rendition_made


class CustomImage(AbstractImage):
    """Library image with a default alt text and a credit, both shown with every use."""

    alt_text = models.CharField(
        max_length=255,
        blank=True,
        help_text="Describe the image for people who cannot see it. Leave empty only for "
        "purely decorative images.",
    )
    credit = models.CharField(max_length=255, blank=True, help_text="Photographer or source.")

    admin_form_fields = WagtailImage.admin_form_fields + ("alt_text", "credit")

    @property
    def default_alt_text(self):
        return self.alt_text or self.title

    def generate_rendition_file(self, filter, *, source=None):
        # The heap this takes is given back once the request ends (see image_memory).
        note_rendition_made()
        return super().generate_rendition_file(filter, source=source)


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
