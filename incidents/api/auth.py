from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenView(APIView):
    """A user's own API tokens: list them, create one (shown once), revoke them."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "TokenList",
            {"tokens": serializers.ListField(child=serializers.DictField())},
        )
    )
    def get(self, request):
        tokens = AuthToken.objects.filter(user=request.user).order_by("created")
        return Response(
            {
                "tokens": [
                    {"prefix": t.token_key, "created": t.created, "expiry": t.expiry}
                    for t in tokens
                ]
            }
        )

    @extend_schema(
        request=None,
        responses={201: inline_serializer("NewToken", {"token": serializers.CharField()})},
    )
    def post(self, request):
        _instance, token = AuthToken.objects.create(user=request.user)
        return Response({"token": token}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke: the token used for this request, or all of them with ?all=1."""
        tokens = AuthToken.objects.filter(user=request.user)
        if request.query_params.get("all") not in {"1", "true"}:
            if not isinstance(request.auth, AuthToken):
                return Response(
                    {
                        "error": {
                            "status": 400,
                            "code": "invalid",
                            "message": _("Send the token to revoke, or ?all=1 to revoke all."),
                            "fields": {},
                        }
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            tokens = tokens.filter(pk=request.auth.pk)
        tokens.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PingView(APIView):
    """Authenticated and trivial: a health probe, and the baseline the API benchmark compares to."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Ping", {"user": serializers.CharField(), "ok": serializers.BooleanField()}
        )
    )
    def get(self, request):
        return Response({"user": request.user.get_username(), "ok": True})
