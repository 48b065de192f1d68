"""The incident editor of the review queue."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from cirsite.base.models import RiskType, Sector
from ingest.incidents.models import Incident, index_incidents
from ingest.review.actions import confirm_incidents, correct_labels


class IncidentReviewForm(WagtailAdminModelForm):
    """The incident editor: the model's own fields plus the labels, which are saved through
    ``correct_labels`` so that a correction is remembered."""

    sector_labels = forms.ModelMultipleChoiceField(
        label="Sectors",
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk_type_labels = forms.ModelMultipleChoiceField(
        label="Risk types",
        queryset=RiskType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.instance.status != Incident.Status.PROMOTED:
            # "Promoted to story" is what promoting does, with the story it creates; chosen
            # here it would claim a story that does not exist. The Promote button does it.
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value != Incident.Status.PROMOTED
            ]
            self.fields[
                "status"
            ].help_text = (
                "To make this incident a story, use “Promote to story” at the top of the page."
            )
        if self.instance.pk:
            self.fields["sector_labels"].initial = list(
                self.instance.sector_links.values_list("sector_id", flat=True)
            )
            self.fields["risk_type_labels"].initial = list(
                self.instance.risk_type_links.values_list("risk_type_id", flat=True)
            )

    def save(self, commit=True):
        incident = super().save(commit=commit)
        if commit:
            self.save_labels(incident)
            index_incidents([incident])
        return incident

    def save_labels(self, incident):
        if "sector_labels" not in self.cleaned_data:
            return
        correct_labels(
            incident,
            sectors=self.cleaned_data["sector_labels"],
            risk_types=self.cleaned_data["risk_type_labels"],
        )
        if incident.status == Incident.Status.CONFIRMED:
            confirm_incidents([incident])
