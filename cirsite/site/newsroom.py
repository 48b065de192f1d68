"""The newsroom's roles and review: writers draft and submit stories, editors approve and
publish them. Set up by `manage.py setup_newsroom` (which `load_demo` may call); running it
again changes nothing."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cirsite.site.models import HomePage

WRITERS = "Writers"
EDITORS = "Editors"
WORKFLOW_NAME = "Newsroom review"
TASK_NAME = "Editor approval"

WRITER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
]
WRITER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
EDITOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image", "delete_image"]
WRITER_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("articles", "view_author")]
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("articles", "add_author"),
    ("articles", "change_author"),
    ("articles", "delete_author"),
    ("articles", "view_author"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
]


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission("wagtailcore", codename)
        )


def grant_images(group, collection, codenames):
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission("wagtailimages", codename)
        )


def grant_models(group, pairs):
    group.permissions.add(*[permission(app_label, codename) for app_label, codename in pairs])


@transaction.atomic
def setup_newsroom(section_root=None):
    """Create or update the Writers and Editors groups and the review workflow on
    ``section_root`` (the site's home page by default, so it covers every story)."""
    if section_root is None:
        section_root = HomePage.objects.first() or Page.get_first_root_node()
    writers, _ = Group.objects.get_or_create(name=WRITERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    root_collection = Collection.get_first_root_node()

    grant_pages(writers, section_root, WRITER_PAGE_PERMISSIONS)
    grant_pages(editors, section_root, EDITOR_PAGE_PERMISSIONS)
    grant_images(writers, root_collection, WRITER_IMAGE_PERMISSIONS)
    grant_images(editors, root_collection, EDITOR_IMAGE_PERMISSIONS)
    grant_models(writers, WRITER_MODEL_PERMISSIONS)
    grant_models(editors, EDITOR_MODEL_PERMISSIONS)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=section_root, defaults={"workflow": workflow})
    return writers, editors, workflow
