"""HTTP fetching with timeouts, a streamed size cap, a redirect limit and (optionally) a
refusal of private/loopback/link-local hosts checked at every redirect hop."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import httpx

MAX_REDIRECTS = 5
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom",
              "application/json", "application/x-ndjson", "application/warc", "application/gzip",
              "application/octet-stream")


class FetchError(Exception):
    """A one-line reason why a URL could not be fetched."""


@dataclass
class Response:
    url: str
    content: bytes
    content_type: str
    charset: str | None


def _check_host(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise FetchError(f"unsupported URL: {url}")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 80, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise FetchError(f"cannot resolve {parsed.hostname}: {exc}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast \
                or addr.is_unspecified:
            raise FetchError(f"refused private address {addr} for {parsed.hostname}")


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private_hosts: bool = True) -> Response:
    headers = {"User-Agent": "sitroom/0.1 (+research ingest)"}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            if not allow_private_hosts:
                _check_host(url)
            try:
                with client.stream("GET", url) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without location from {url}")
                        url = urljoin(url, location)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code}")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and not ctype.startswith(TEXT_TYPES):
                        raise FetchError(f"unsupported content type {ctype}")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"too large: {declared} bytes > cap {max_bytes}")
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"too large: more than {max_bytes} bytes")
                        chunks.append(chunk)
                    return Response(str(resp.url), b"".join(chunks), ctype, resp.charset_encoding)
            except httpx.HTTPError as exc:
                raise FetchError(f"{type(exc).__name__}: {exc}".splitlines()[0]) from exc
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
