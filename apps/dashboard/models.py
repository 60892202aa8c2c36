"""What the dashboard keeps of its own: saved session filters, shared by the organization."""

from django.conf import settings
from django.db import models

from apps.orgs.models import Organization


class SavedFilter(models.Model):
    """A named session search (the list page's query string), visible to every member."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="saved_session_filters"
    )
    name = models.CharField(max_length=80)
    query = models.TextField(help_text="The filter's query string, without page.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="dashboard_savedfilter_uniq_name"
            )
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
