"""The Overview: the organization's first page. With sessions it says what arrived (and
links to it); without, how to send the first one."""

from django.shortcuts import render

from apps.orgs.snippets import install_snippets, public_base_url
from apps.orgs.tenancy import OrganizationView

from .. import selectors


class OverviewView(OrganizationView):
    def get(self, request, *, organization, membership, **kwargs):
        return render(
            request,
            "dashboard/overview.html",
            {
                "organization": organization,
                "overview": selectors.organization_overview(organization=organization),
                **install_snippets(organization, public_base_url(request)),
            },
        )
