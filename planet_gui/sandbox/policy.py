"""The lake's STS trust and upload policy, as a SeaweedFS ``-s3.iam.config`` document.

One builder for the sandbox and the tests, so both run the policy the README documents for a real lake: each user
writes only in their own folder of the upload bucket (``${jwt:preferred_username}``), reads the others, deletes
nothing. The validation hook takes the uploader from that folder, which is why the policy matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

ROLE_NAME = "PlanetUploader"
ROLE_ARN = f"arn:aws:iam::role/{ROLE_NAME}"

#: What the uploader role may do in the bucket it uploads to (``raw``): write, read, list, multipart, tags.
UPLOAD_ACTIONS = (
    "s3:PutObject",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:CreateMultipartUpload",
    "s3:UploadPart",
    "s3:CompleteMultipartUpload",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:ListBucketMultipartUploads",
    "s3:PutObjectTagging",
    "s3:GetObjectTagging",
)
#: What the uploader role may do in the buckets it only watches (``validated``, ``triage``).
READ_ACTIONS = ("s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectTagging")
#: The keys each user may touch in the upload bucket: the lake's layout ``{category}/{source}/{user}/{filename}``
#: with the user's folder bound to the token's ``preferred_username`` (a policy variable SeaweedFS and MinIO both
#: substitute). This is what lets the validation hook take the uploader from the key: nobody else can write there.
USER_KEYS = "*/*/${jwt:preferred_username}/*"
#: Keys deeper than the layout (``*`` also matches ``/``, so ``USER_KEYS`` alone would let alice write
#: ``x/y/bob/alice/f``): refused outright, whoever asks.
DEEPER_KEYS = "*/*/*/*/*"


def _bucket_resources(buckets: Iterable[str]) -> list[str]:
    resources: list[str] = []
    for bucket in buckets:
        resources += [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    return resources


def build_iam_config(
    oidc_issuer: str,
    jwks_uri: str,
    signing_key: str,
    *,
    provider_name: str,
    sts_client_id: str,
    sts_issuer: str = "seaweedfs-sts",
    upload_buckets: Sequence[str] = ("raw",),
    read_buckets: Sequence[str] = ("validated", "triage"),
    upload_actions: Sequence[str] = UPLOAD_ACTIONS,
    read_actions: Sequence[str] = READ_ACTIONS,
    upload_keys: str = USER_KEYS,
    denied_keys: str | None = DEEPER_KEYS,
    upload_prefixes: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The ``-s3.iam.config`` document: STS trusting ``oidc_issuer`` and the ``PlanetUploader`` role.

    ``signing_key`` is the base64 of 32 random bytes (signs STS session tokens).  The role's policy allows
    ``upload_prefixes`` adds raw locations of destinations, ``(bucket, prefix)``: the same user-folder layout below
    the prefix (``bucket/prefix*/*/${jwt:preferred_username}/*``, and nothing deeper), so the hook still takes the
    uploader from the key's ``{user}`` folder there.  ``upload_actions`` (default :data:`UPLOAD_ACTIONS`) on
    ``upload_buckets`` (its objects only under
    ``upload_keys``, by default :data:`USER_KEYS`: each user's own folder, and never under ``denied_keys``),
    ``read_actions`` (default
    :data:`READ_ACTIONS`) on ``read_buckets`` and ``sts:ValidateSession``; everything else is denied
    (``defaultEffect: Deny``).  By default the role cannot delete objects (add ``"s3:DeleteObject"`` to
    ``upload_actions`` to allow it in the upload bucket).
    """
    policy_name = f"{ROLE_NAME}Policy"
    denials: list[dict[str, Any]] = [] if denied_keys is None else [{
        "Effect": "Deny",
        "Action": list(upload_actions),
        "Resource": [f"arn:aws:s3:::{bucket}/{denied_keys}" for bucket in upload_buckets]
        + [f"arn:aws:s3:::{bucket}/{prefix}{denied_keys}" for bucket, prefix in upload_prefixes],
    }]
    prefixed = [resource for bucket, prefix in upload_prefixes for resource in (
        f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/{prefix}{upload_keys}")]
    return {
        "sts": {
            "tokenDuration": "1h",
            "maxSessionLength": "12h",
            "issuer": sts_issuer,
            "signingKey": signing_key,
            "providers": [
                {
                    "name": provider_name,
                    "type": "oidc",
                    "enabled": True,
                    "config": {"issuer": oidc_issuer, "clientId": sts_client_id, "jwksUri": jwks_uri},
                }
            ],
        },
        "policy": {"defaultEffect": "Deny", "storeType": "memory"},
        "roles": [
            {
                "roleName": ROLE_NAME,
                "roleArn": ROLE_ARN,
                "trustPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Federated": provider_name},
                            "Action": ["sts:AssumeRoleWithWebIdentity"],
                        }
                    ],
                },
                "attachedPolicies": [policy_name],
                "description": "PLANET Uploader: write to the upload bucket, read the others",
            }
        ],
        "policies": [
            {
                "name": policy_name,
                "document": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": list(upload_actions),
                            "Resource": [resource for bucket in upload_buckets for resource in (
                                f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/{upload_keys}")] + prefixed,
                        },
                        {
                            "Effect": "Allow",
                            "Action": list(read_actions),
                            "Resource": _bucket_resources(read_buckets),
                        },
                        {"Effect": "Allow", "Action": "sts:ValidateSession", "Resource": "*"},
                        *denials,
                    ],
                },
            }
        ],
    }
