"""The contract between the generator and this runtime, as plain data (no imports, literals only).

The runtime reads its policy from here (:mod:`._retry`, :mod:`._errors`), and the generator loads this
file as data to document that same policy (README tables, the API reference) and to know which names the
package exports and which keywords the client takes. Change a value here and both follow; a test checks
that the classes and docstrings named here are the ones :mod:`._errors` defines.
"""

IDEMPOTENT_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PUT", "QUERY", "TRACE")
"""Methods that may be retried after the request may have reached the server."""

RETRYABLE_STATUSES = (429, 502, 503, 504)
"""Response statuses retried for idempotent methods (and for a call that carries an idempotency key)."""

NEVER_SENT_ERRORS = ("ConnectError", "ConnectTimeout", "PoolTimeout")
"""``httpx`` transport errors proving the request never reached the server: retried for every method."""

MAYBE_SENT_ERRORS = ("ReadError", "RemoteProtocolError", "WriteTimeout", "ReadTimeout")
"""``httpx`` transport errors after which the request may have reached the server."""

TRANSPORT_WORDS = {
    "ConnectError": "connection refused, DNS failure or TLS handshake failure",
    "ConnectTimeout": "connect timeout (TCP/TLS setup did not finish)",
    "PoolTimeout": "no free pooled connection in time",
    "ReadTimeout": "read timeout (the request may have reached the server)",
    "WriteTimeout": "write timeout while sending the request",
    "ReadError": "connection reset or closed after sending",
    "RemoteProtocolError": "the server closed the connection without a response",
}

RETRY_DEFAULTS = {"max_retries": 2, "initial_delay": 0.5, "max_delay": 8.0, "max_retry_after": 60.0}
"""The defaults of ``RetryConfig`` (seconds for the delays)."""

STATUS_CLASSES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    409: "ConflictError",
    429: "RateLimitError",
}
"""Statuses with a class of their own."""

STATUS_RANGES = ((500, 599, "ServerError"), (400, 499, "ApiStatusError"))
"""(low, high, class) for the other error statuses, first match wins."""

UNEXPECTED_STATUS_CLASS = "UnexpectedStatusError"
"""The class of a 1xx/2xx/3xx status the API description does not document."""

ERROR_CLASSES = (
    ("ApiError", "", "Base class of every error this client raises."),
    (
        "MissingCredentialsError",
        "ApiError",
        "No configured credentials satisfy any of the operation's security requirements.",
    ),
    (
        "ApiConnectionError",
        "ApiError",
        "The request could not be sent or its response could not be read (``request_sent`` says which).",
    ),
    ("ApiTimeoutError", "ApiConnectionError", "A connect, read, write or pool timeout expired."),
    (
        "ResponseTooLargeError",
        "ApiError",
        "A response body was larger than ``max_response_size``; it was not read further (nor kept).",
    ),
    (
        "ApiRedirectError",
        "ApiError",
        "A redirect was not followed: it would re-send the body to another origin, or there were too many.",
    ),
    (
        "ApiDecodeError",
        "ApiError",
        "A response body did not match the API description; ``path`` names the JSON path, ``body`` keeps the bytes.",
    ),
    (
        "ApiStatusError",
        "ApiError",
        "The server answered with an error status (4xx/5xx) or an error result code.",
    ),
    (
        "BadRequestError",
        "ApiStatusError",
        "HTTP 400: the request was malformed or failed the server's validation.",
    ),
    (
        "UnauthorizedError",
        "ApiStatusError",
        "HTTP 401: the credentials, signature or token were missing, wrong or expired.",
    ),
    ("ForbiddenError", "ApiStatusError", "HTTP 403: authenticated, but not allowed to do this."),
    ("NotFoundError", "ApiStatusError", "HTTP 404: the resource (or the endpoint) does not exist."),
    (
        "ConflictError",
        "ApiStatusError",
        "HTTP 409: the request conflicts with the resource's current state.",
    ),
    (
        "RateLimitError",
        "ApiStatusError",
        "HTTP 429: too many requests; ``retry_after`` holds the server's requested wait in seconds, if any.",
    ),
    ("ServerError", "ApiStatusError", "HTTP 5xx: the server or the gateway in front of it failed."),
    (
        "ResultCodeError",
        "ApiStatusError",
        "A 2xx response whose body reports failure through a result code the API description declares.",
    ),
    (
        "UnexpectedStatusError",
        "ApiStatusError",
        "A 1xx/2xx/3xx status the API description does not document (4xx/5xx use the family classes).",
    ),
)
"""(class, base class, first line of its docstring) of every exception, root first."""

DEFAULT_ERROR_FIELDS = {
    "code": ("/code", "/error/code", "/error"),
    "message": ("/message", "/error/message", "/detail", "/title", "/error_description"),
    "detail": ("/detail",),
    "request_id": ("/request_id", "/requestId"),
    "request_id_header": "X-Request-Id",
}
"""Where an error body's code, message, detail and request id are looked for when the API description
declares nothing (``x-apigen-error``): JSON pointers, first present text wins."""

PUBLIC_NAMES = (
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiError",
    "ApiKey",
    "ApiRedirectError",
    "ApiResponse",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestError",
    "BasicAuth",
    "BearerToken",
    "ConflictError",
    "Credential",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "FileUpload",
    "ForbiddenError",
    "HttpAuthorization",
    "IDEMPOTENT_METHODS",
    "MissingCredentialsError",
    "NO_RETRY",
    "NotFoundError",
    "OAuth2ClientCredentials",
    "OAuth2Password",
    "PolicyRow",
    "RETRYABLE_STATUSES",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "ResultCodeError",
    "RetryConfig",
    "ServerError",
    "UNSET",
    "UnauthorizedError",
    "UnexpectedStatusError",
    "Unset",
    "error_class_for_status",
    "policy_table",
    "should_retry",
)
"""What every generated package re-exports from :mod:`.public` (extensions add their own)."""

CLIENT_ARGUMENTS = (
    "credentials",
    "base_url",
    "server_variables",
    "client_values",
    "timeout",
    "retry",
    "headers",
    "auth_preference",
    "from_env",
    "http_client",
    "transport",
    "max_response_size",
    "validate_requests",
)
"""The keywords of the runtime client's constructor; the generated ``Client`` adds one per credential and
server variable and passes these through."""

CLIENT_METHODS = ("aclose", "close", "with_options")
"""The public attribute names of the runtime client classes (everything else is private, ``_``-prefixed),
which a generated resource attribute must not shadow."""

CREDENTIALS = {
    "apiKey": {
        "function": "api_key_credential",
        "keywords": (("api_key", "the API key", "YOUR_API_KEY", True),),
        "classes": ("ApiKey",),
    },
    "http/basic": {
        "function": "basic_credential",
        "keywords": (
            ("username", "the user name", "YOUR_USERNAME", True),
            ("password", "the password", "YOUR_PASSWORD", True),
        ),
        "classes": ("BasicAuth",),
    },
    "http/bearer": {
        "function": "bearer_credential",
        "keywords": (("bearer_token", "the bearer token", "YOUR_TOKEN", True),),
        "classes": ("BearerToken",),
    },
    "http": {
        "function": "http_authorization_credential",
        "keywords": (
            (
                "authorization",
                "the Authorization value after the scheme name",
                "YOUR_CREDENTIALS",
                True,
            ),
        ),
        "classes": ("HttpAuthorization",),
    },
    "oauth2": {
        "function": "oauth2_credential",
        "keywords": (
            ("client_id", "the OAuth2 client id", "YOUR_CLIENT_ID", True),
            ("client_secret", "the OAuth2 client secret", "YOUR_CLIENT_SECRET", True),
        ),
        "alternative": (
            ("access_token", "a ready access token (never refreshed)", "YOUR_ACCESS_TOKEN", True),
        ),
        "extra": (
            (
                "oauth_username",
                "resource owner's user name (password flow)",
                "YOUR_USERNAME",
                False,
            ),
            ("oauth_password", "resource owner's password (password flow)", "YOUR_PASSWORD", False),
        ),
        "classes": ("OAuth2ClientCredentials", "OAuth2Password", "BearerToken"),
        "example": "alternative",
    },
    "openIdConnect": {
        "function": "bearer_credential",
        "keywords": (("bearer_token", "the OpenID Connect access token", "YOUR_TOKEN", True),),
        "classes": ("BearerToken",),
    },
    "mutualTLS": {
        "function": "",
        "keywords": (),
        "classes": (),
        "note": "a client certificate: pass http_client=httpx.Client(cert=...)",
    },
}
"""Per standard scheme kind: the function of :mod:`._credentials` the generated ``Client`` calls, and its
keyword groups, each ``(keyword, what it is, placeholder, required with the others)``: ``keywords`` (the
credential), ``alternative`` (another way to give it), ``extra`` (optional additions); ``example``
(``alternative``): the docs' examples show the alternative (a ready token: no token server needed)."""
