"""The officers' page for API tokens: make one for a person (its secret is shown once), revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.feedback import tell_refusal
from score_portal.permissions import officer_required

from . import services
from .forms import TokenForm
from .models import ApiToken


@officer_required
def tokens(request):
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_token(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            form = TokenForm()
    listed = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    # Rendered, not redirected: the secret is shown on this answer only and never stored.
    return render(request, "api/tokens.html", {"form": form, "page": page, "made": made})


@require_POST
@officer_required
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    services.revoke_token(token, by=request.user)
    messages.success(request, _("The token of %(person)s is revoked.") % {"person": token.user})
    return redirect("api:tokens")
