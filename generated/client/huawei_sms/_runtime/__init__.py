"""The hand-written core every generated client shares: wire codecs, the request loop, auth, errors.

Copied verbatim into each generated package as ``_runtime``, with the extension modules (from
``extensions/``) the API description's ``x-apigen-*`` extensions call for; generated code stays thin and
calls into it.
"""
