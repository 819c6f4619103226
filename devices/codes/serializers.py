"""Request and response bodies of the transfer, recovery and claim endpoints."""

from rest_framework import serializers

from countonme.base.strict_input import StrictCharField

# A typed code with generous room for spaces and dashes; anything longer is no code.
TYPED_CODE_MAX = 64


class TransferCodeSerializer(serializers.Serializer):
    """``POST /v1/devices/me/transfer-code`` answer."""

    code = serializers.CharField(
        help_text=(
            "12 Crockford base32 characters in groups of 4 (`XXXX-XXXX-XXXX`). Shown "
            "once; single use; a newer transfer code replaces it."
        )
    )
    expires_at = serializers.DateTimeField(help_text="After this the code is refused.")


class RecoveryCodeSerializer(serializers.Serializer):
    """``POST /v1/devices/me/recovery-code`` answer."""

    code = serializers.CharField(
        help_text=(
            "20 Crockford base32 characters in groups of 4 (`XXXX-XXXX-XXXX-XXXX-XXXX`). "
            "Shown once, never again; no expiry; single use; a newer recovery code "
            "replaces it."
        )
    )


class ClaimRequestSerializer(serializers.Serializer):
    """``POST /v1/devices/claim`` body."""

    code = StrictCharField(
        max_length=TYPED_CODE_MAX,
        help_text=(
            "A transfer or recovery code as the user typed it: any case; spaces and "
            "hyphens are ignored; I and L read as 1, O as 0."
        ),
    )
