"""The Overview: the organization's first page. With sessions it says what arrived (and
links to it); without, how to send the first one."""

from django.shortcuts import render

from apps.core.public_url import public_base_url
from apps.orgs.snippets import install_snippets
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
