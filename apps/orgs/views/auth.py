"""Sign-up, the home redirect, invitations and creating or switching organizations."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError

from .. import selectors, services, sign_in_limits
from ..forms import NewOrganizationForm, SignupForm


@require_http_methods(["GET", "POST"])
def signup_view(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if (refused := _signup_refused(request, form)) is not None:
            return refused
        try:
            user, organization = services.signup(**form.cleaned_data)
        except DomainError as exc:
            field = {"email_taken": "email", "weak_password": "password"}.get(exc.code)
            form.add_error(field, exc.message)
        else:
            login(request, user, backend="apps.orgs.backends.EmailBackend")
            messages.success(request, f"Welcome to Qorrelate. {organization.name} is ready.")
            return redirect("org_home", org_slug=organization.slug)
    return render(request, "orgs/signup.html", {"form": form}, status=400 if form.errors else 200)


def _signup_refused(request, form, template="orgs/signup.html", **context):
    """A 429 with the form and the reason when this client signs up too often, else None."""
    wait = sign_in_limits.retry_after(request, door="signup")
    if wait is None:
        return None
    form.add_error(None, sign_in_limits.refusal_message(wait))
    response = render(request, template, {"form": form, **context}, status=429)
    response["Retry-After"] = str(wait)
    return response


def home_view(request):
    if not request.user.is_authenticated:
        return redirect("login")
    organizations = selectors.organizations_for_user(user=request.user)
    current = request.session.get("current_org")
    organization = (current and organizations.filter(slug=current).first()) or organizations.first()
    if organization is None:
        return redirect("organization_new")
    return redirect(_landing_url(organization))


def _landing_url(organization) -> str:
    # The sessions page when the dashboard app mounts it (by URL name: orgs imports nothing
    # above it), else the organization's overview.
    try:
        return reverse("sessions", kwargs={"org_slug": organization.slug})
    except NoReverseMatch:
        return reverse("org_home", kwargs={"org_slug": organization.slug})


@login_required
@require_http_methods(["GET", "POST"])
def organization_new_view(request):
    form = NewOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(
            name=form.cleaned_data["name"], owner=request.user
        )
        return redirect("org_home", org_slug=organization.slug)
    return render(request, "orgs/organization_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    try:
        invitation = services.invitation_lookup(token=token)
        if request.user.is_authenticated:
            services.invitation_check_recipient(invitation=invitation, user=request.user)
    except DomainError as exc:
        return _invitation_refused(request, exc)
    if request.user.is_authenticated:
        if request.method == "POST":
            return _accept(request, token)
        return render(request, "orgs/invitation_accept.html", {"invitation": invitation})
    form = SignupForm(request.POST or None, initial={"email": invitation.email})
    form.fields["organization_name"].required = False
    form.fields["organization_name"].widget = form.fields["organization_name"].hidden_widget()
    status = 200
    if request.method == "POST" and form.is_valid():
        context = {"invitation": invitation}
        if (refused := _signup_refused(request, form, INVITATION_PAGE, **context)) is not None:
            return refused
        try:
            user, membership = services.signup_from_invitation(
                token=token,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except DomainError as exc:
            field = {"weak_password": "password"}.get(exc.code, "email")
            form.add_error(field, exc.message)
            status = exc.status
        else:
            login(request, user, backend="apps.orgs.backends.EmailBackend")
            return _joined(request, membership)
    elif form.errors:
        status = 400
    return render(request, INVITATION_PAGE, {"invitation": invitation, "form": form}, status=status)


INVITATION_PAGE = "orgs/invitation_accept.html"


def _invitation_refused(request, exc: DomainError):
    return render(
        request,
        "orgs/invitation_invalid.html",
        {"message": exc.message, "code": exc.code},
        status=exc.status,
    )


def _accept(request, token):
    try:
        membership = services.invitation_accept(token=token, user=request.user)
    except DomainError as exc:
        return _invitation_refused(request, exc)
    return _joined(request, membership)


def _joined(request, membership):
    messages.success(request, f"You joined {membership.organization.name} as {membership.role}.")
    return redirect("org_home", org_slug=membership.organization.slug)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client and per e-mail address. The reply never
    says whether an account exists (Django sends mail only to existing ones)."""

    def form_valid(self, form):
        wait = sign_in_limits.retry_after(
            self.request, door="password_reset", email=form.cleaned_data["email"]
        )
        if wait is not None:
            form.add_error(None, sign_in_limits.refusal_message(wait))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().form_valid(form)
