"""The runtime extensions, as data: what each one ships and what the generated client passes it.

Not shipped itself. The generator loads this file to decide, from the ``x-apigen-*`` extensions a spec
uses, which modules of this folder a package gets (a spec that uses none gets none of them), which
names the package exports from them, and which keywords its ``Client`` takes for each security scheme.

``AUTH`` is keyed by ``x-apigen-auth`` kind (``kind/keys`` where the kind has key variants). Per entry:
``modules`` (files of this folder, without ``.py``, in dependency order), ``register`` (module, name) of
the ``AuthKind`` the client is given, ``function`` (module, name) that turns keyword values into
credentials, ``group`` (schemes of the same group share their keywords: one app key and secret serve
signing and WSSE), keyword groups as in the core contract's ``CREDENTIALS``, ``classes`` (credential
classes), ``public`` ((module, name) the package exports) and ``signed`` (curl alone cannot produce it).

``curl`` lists (header, value) samples for the docs' curl commands (``{name}`` is a scheme option or
``parameter``; ``defaults`` fills the options a scheme omits); ``curl_when_path`` adds some when the
operation's path holds a ``{parameter}``.

``FEATURES`` are shipped when the spec uses the extension named by the key.
"""

AUTH = {
    "sdk-hmac-sha256/application": {
        "modules": ("_keys", "_signing", "_fake_verify"),
        "register": ("_signing", "AUTH_KIND"),
        "function": ("_keys", "app_key_credential"),
        "group": "app-key",
        "keywords": (
            ("app_key", "the application key", "YOUR_APP_KEY", True),
            ("app_secret", "the application secret", "YOUR_APP_SECRET", True),
        ),
        "classes": ("AppKey",),
        "public": (("_keys", "AppKey"), ("_signing", "verify_push_signature")),
        "signed": True,
        "defaults": {"parameter": "Authorization"},
        "curl": (
            ("X-Sdk-Date", "<YYYYMMDDTHHMMSSZ>"),
            (
                "{parameter}",
                "SDK-HMAC-SHA256 Access=<APP_KEY>, SignedHeaders=<signed headers>, Signature=<signature>",
            ),
        ),
    },
    "sdk-hmac-sha256/account": {
        "modules": ("_keys", "_signing", "_fake_verify"),
        "register": ("_signing", "AUTH_KIND"),
        "function": ("_keys", "access_key_credential"),
        "group": "access-key",
        "keywords": (
            ("ak", "the account access key", "YOUR_AK", True),
            ("sk", "the account secret key", "YOUR_SK", True),
        ),
        "extra": (
            (
                "security_token",
                "the security token of temporary keys",
                "YOUR_SECURITY_TOKEN",
                False,
            ),
            (
                "domain_id",
                "the account (domain) id, sent for global calls",
                "YOUR_DOMAIN_ID",
                False,
            ),
        ),
        "extra_note": "temporary keys, and global calls without a project",
        "classes": ("AccessKey",),
        "public": (("_keys", "AccessKey"), ("_signing", "verify_push_signature")),
        "signed": True,
        "defaults": {"parameter": "Authorization"},
        "curl": (
            ("X-Sdk-Date", "<YYYYMMDDTHHMMSSZ>"),
            (
                "{parameter}",
                "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<signed headers>, Signature=<signature>",
            ),
        ),
        "curl_when_path": {"project_id": (("{project-header}", "<project_id>"),)},
    },
    "wsse": {
        "modules": ("_keys", "_wsse", "_fake_verify"),
        "register": ("_wsse", "AUTH_KIND"),
        "function": ("_keys", "app_key_credential"),
        "group": "app-key",
        "keywords": (
            ("app_key", "the application key", "YOUR_APP_KEY", True),
            ("app_secret", "the application secret", "YOUR_APP_SECRET", True),
        ),
        "classes": ("AppKey",),
        "public": (("_keys", "AppKey"),),
        "signed": True,
        "defaults": {
            "parameter": "X-WSSE",
            "realm": "SDP",
            "profile": "UsernameToken",
            "type": "Appkey",
        },
        "curl": (
            ("Authorization", 'WSSE realm="{realm}",profile="{profile}",type="{type}"'),
            (
                "{parameter}",
                '{profile} Username="<APP_KEY>",PasswordDigest="<digest>",Nonce="<nonce>",Created="<YYYY-MM-DDTHH:MM:SSZ>"',
            ),
        ),
    },
    "iam-token": {
        "modules": ("_iam",),
        "register": ("_iam", "AUTH_KIND"),
        "function": ("_iam", "iam_credential"),
        "group": "iam",
        "keywords": (
            ("iam_username", "the IAM user name", "YOUR_IAM_USERNAME", True),
            ("iam_password", "the IAM user's password", "YOUR_IAM_PASSWORD", True),
            (
                "iam_domain",
                "the account (domain) name the IAM user belongs to",
                "YOUR_ACCOUNT_NAME",
                True,
            ),
        ),
        "alternative": (
            ("iam_token", "a ready IAM token (never refreshed)", "YOUR_IAM_TOKEN", True),
        ),
        "classes": ("IamPassword", "IamToken"),
        "public": (("_iam", "IamPassword"), ("_iam", "IamToken")),
        "signed": False,
        "defaults": {"parameter": "X-Auth-Token"},
        "curl": (("{parameter}", "<IAM_TOKEN>"),),
    },
}

FEATURES = {
    "x-apigen-result-code/items": {
        "modules": ("_results",),
        "public": (("_results", "failed_recipients"),),
    },
}
