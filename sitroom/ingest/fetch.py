"""HTTP fetching with timeouts, a streamed size cap, manual redirects (at most
MAX_REDIRECTS) and an address guard.

The guard (on unless `allow_private_hosts`) resolves each hop's host once, refuses it unless
every address is global (`ipaddress.is_global`: no loopback, private, link-local, shared
100.64/10, reserved or multicast space, and no private IPv4 hidden in an IPv4-mapped, 6to4 or
Teredo IPv6 address), then connects to that vetted address while sending the original Host
header and TLS server name — so a DNS answer that changes between the check and the
connection (rebinding) cannot reach an internal address. Every redirect is checked again.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlparse, urlunparse

import httpx

MAX_REDIRECTS = 5
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom",
              "application/json", "application/x-ndjson", "application/warc", "application/gzip",
              "application/octet-stream")
PRIVATE_HINT = "use --allow-private-hosts for your own intranet"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """A one-line reason why a URL could not be fetched."""


@dataclass
class Response:
    url: str
    content: bytes
    content_type: str
    charset: str | None
    status: int = 200  # 304: not modified since the validators sent (content is empty)
    etag: str | None = None  # validators for the next conditional GET
    last_modified: str | None = None


def refused_reason(addr: IPAddress) -> str | None:
    """Why connecting to `addr` is refused, or None when it is a global address."""
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = [a for a in (addr.ipv4_mapped, addr.sixtofour, *(addr.teredo or ())) if a is not None]
        for inner in embedded:
            why = refused_reason(inner)
            if why:
                return f"{why} (embedded in {addr})"
    if not addr.is_global or addr.is_multicast:
        return f"non-global address {addr}"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    # Scope ids ("fe80::1%eth0") are cut: the address alone decides.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def vetted_address(host: str, port: int) -> IPAddress:
    """The address to connect to for `host`, after checking every address it resolves to."""
    addrs = resolve(host, port)
    if not addrs:
        raise FetchError(f"cannot resolve {host}")
    for addr in addrs:
        why = refused_reason(addr)
        if why:
            raise FetchError(f"refused {why} for {host} ({PRIVATE_HINT})")
    return addrs[0]


def _pinned(url: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(URL with the host replaced by its vetted address, headers, request extensions)."""
    parsed = urlparse(url)
    host = parsed.hostname or ""
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addr = vetted_address(host, port)
    literal = f"[{addr}]" if addr.version == 6 else str(addr)
    netloc = literal + (f":{parsed.port}" if parsed.port else "")
    host_header = host if not parsed.port else f"{host}:{parsed.port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" + (f":{parsed.port}" if parsed.port else "")
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    return urlunparse(parsed._replace(netloc=netloc)), {"Host": host_header}, extensions


@cache
def _tls_context(trust_env: bool) -> ssl.SSLContext:
    """httpx's default TLS context, built once per process: loading the CA bundle costs
    ~20 ms of CPU, most of a conditional GET that answers 304 (benchmarks/watch_poll.py)."""
    return httpx.create_ssl_context(trust_env=trust_env)


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private_hosts: bool = False,
          headers: dict[str, str] | None = None) -> Response:
    """GET `url` within the caps; `headers` adds request headers (a conditional GET sends
    If-None-Match / If-Modified-Since and gets a Response with status 304 and no content)."""
    headers = {"User-Agent": "sitroom/0.1 (+research ingest)", **(headers or {})}
    # trust_env off under the guard: a proxy from the environment would connect for us.
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers,
                      trust_env=allow_private_hosts, verify=_tls_context(allow_private_hosts)) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise FetchError(f"unsupported URL: {url}")
            target, extra_headers, extensions = (url, {}, {}) if allow_private_hosts else _pinned(url)
            try:
                request = client.build_request("GET", target, headers=extra_headers, extensions=extensions)
                resp = client.send(request, stream=True)
                try:
                    if resp.status_code == 304:  # not modified (httpx counts it as a redirect)
                        return Response(url, b"", "", None, status=304, **_validators(resp))
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without location from {url}")
                        url = urljoin(url, location)
                        continue
                    return _read(resp, url, max_bytes)
                finally:
                    resp.close()
            except httpx.HTTPError as exc:
                raise FetchError(f"{type(exc).__name__}: {exc}".splitlines()[0]) from exc
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _read(resp: httpx.Response, url: str, max_bytes: int) -> Response:
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
    # The URL asked for, not the pinned address, is the page's address.
    return Response(url, b"".join(chunks), ctype, resp.charset_encoding, status=resp.status_code,
                    **_validators(resp))


def _validators(resp: httpx.Response) -> dict[str, str | None]:
    return {"etag": resp.headers.get("etag"), "last_modified": resp.headers.get("last-modified")}
