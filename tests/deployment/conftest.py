import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction


@pytest.fixture
def board_minutes(db):
    """A document in a collection only logged-in users may read."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    document = Document(title="Board minutes", collection=private)
    document.file.save("board-minutes.txt", ContentFile(b"Confidential: the board met."))
    document.save()
    return document
