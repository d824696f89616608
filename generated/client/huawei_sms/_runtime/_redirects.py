"""Following redirects without carrying credentials to another origin.

The client never lets httpx follow redirects inside ``send`` (httpx would re-send everything the
authentication added except ``Authorization``). When the ``httpx`` client has ``follow_redirects=True``
(yours; the client the runtime creates does not follow), the request loop follows each redirect itself,
at most ``max_redirects`` times, with :func:`redirect_request`:

* **Same origin** (same scheme, host and port): the request is rebuilt from the headers it had before
  authentication and authenticated again for the new URL (a fresh signature, digest or token).
* **Another origin**, and every later hop of that chain even if it comes back: the request carries no
  credential. Authentication is not run; the headers set before authentication lose ``Cookie``,
  ``Host``, every header a security scheme names or sets and every
  header the logs redact (names mentioning auth, token, key, secret, password, signature, credential);
  query parameters a scheme names or the logs redact are removed from the new URL.
* **Request bodies**: 301/302 (POST) and 303 become a GET without body, as httpx and browsers do. A 307 or
  308 keeps the method and the body: to the same origin it is re-sent; to another origin it is *not
  followed* and :class:`~._errors.ApiRedirectError` is raised, so a request body (personal data, a
  message) is never sent to a server the API description does not name.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from ._logging import is_sensitive

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# headers bound to the original host or request, never carried to another origin
_HOST_BOUND = frozenset({"host", "cookie"})
_BODY_HEADERS = ("Content-Length", "Transfer-Encoding", "Content-Type")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class RedirectRefused(Exception):
    """A redirect the loop must not follow; the message says why (the client wraps it in ApiRedirectError)."""


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


def origin_text(url: httpx.URL) -> str:
    scheme, host, port = origin(url)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}" if port is not None else f"{scheme}://{host}"


def is_redirect(response: httpx.Response) -> bool:
    return response.status_code in REDIRECT_STATUSES and "Location" in response.headers


def redirect_url(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """The URL a redirect response points to (relative locations resolved against the request)."""
    location = response.headers["Location"]
    try:
        url = httpx.URL(location)
        if url.scheme and not url.host:
            url = url.copy_with(host=request.url.host)
        if url.is_relative_url:
            url = request.url.join(url)
    except httpx.InvalidURL:
        raise RedirectRefused("its Location is not a valid URL") from None
    if url.scheme not in _DEFAULT_PORTS or not url.host:
        raise RedirectRefused(f"its Location is not an http(s) URL ({url.scheme or 'no'} scheme)")
    return url


def redirect_method(method: str, status: int) -> str:
    """The method of the next request: 303 (but HEAD), 302 (but HEAD) and 301 POST become GET."""
    if status in (302, 303) and method != "HEAD":
        return "GET"
    if status == 301 and method == "POST":
        return "GET"
    return method


def credential_names(header_names: Iterable[str]) -> frozenset[str]:
    """Lower-case header or query names that carry credentials, besides those :func:`is_sensitive` knows."""
    return frozenset(name.lower() for name in header_names if name)


def redirect_request(
    request: httpx.Request,
    response: httpx.Response,
    *,
    pristine: httpx.Headers,
    body: bytes | None,
    trusted: httpx.URL | None,
    credentials: frozenset[str],
) -> tuple[httpx.Request, bool, bytes | None]:
    """The request that follows ``response`` (a redirect of ``request``), whether it may be authenticated
    (same origin as ``trusted``) and its body.

    ``pristine`` are the headers of the first request before authentication, ``body`` the current content.
    ``trusted`` is the URL of the first request, or ``None`` once the chain has left its origin (a hop back
    to it stays unauthenticated). ``credentials`` are the header and query names the security schemes use.
    Raises :class:`RedirectRefused` for a redirect that would re-send the body to another origin.
    """
    url = redirect_url(request, response)
    method = redirect_method(request.method, response.status_code)
    same = trusted is not None and origin(url) == origin(trusted)
    keeps_body = method == request.method and bool(body)
    if keeps_body and not same:
        raise RedirectRefused(
            f"it would re-send the request body to another origin ({origin_text(url)})"
        )
    headers = httpx.Headers(pristine)
    if not keeps_body:
        for name in _BODY_HEADERS:
            headers.pop(name, None)
        body = None
    if not same:
        for name in list(headers.keys()):
            lower = name.lower()
            if lower in _HOST_BOUND or lower in credentials or is_sensitive(lower):
                del headers[name]
        kept = [
            (name, value)
            for name, value in url.params.multi_items()
            if name.lower() not in credentials and not is_sensitive(name)
        ]
        if len(kept) != len(url.params.multi_items()):
            url = url.copy_with(params=kept)
    if request.url.fragment and not url.fragment:
        url = url.copy_with(fragment=request.url.fragment)
    follow = httpx.Request(
        method, url, headers=headers, content=body, extensions=dict(request.extensions)
    )
    return follow, same, body
