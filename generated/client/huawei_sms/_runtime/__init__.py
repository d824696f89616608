"""The hand-written core every generated client shares: wire codecs, the request loop, auth, errors.

Copied verbatim into each generated package as ``_runtime``; generated code stays thin and calls into it.
"""
