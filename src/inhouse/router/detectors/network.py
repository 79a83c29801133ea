"""IP addresses that can identify a machine. Loopback, unspecified, multicast and
broadcast addresses and netmasks are not personal data and do not fire; private ranges
do: they describe the internal network."""

from __future__ import annotations

import ipaddress
import re

from inhouse.router.detectors import DetectorConfig, Hit
from inhouse.router.detectors.text import has_digit, hit_at, keywords
from inhouse.router.normalize import Normalised

# -- IP addresses -----------------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*(?:%\w+)?(?![\w:])")
# A label right before four dotted numbers that says they are no IP address.
_NOT_IP_LABEL = keywords(
    r"(?:\bv|\bversion|\bver\.?|\brelease|\bbuild|\brev|\bfirmware|\bfw|\bupdate|\bpatch|"
    r"\bkernel|\bwindows|\bos|\bios|\bandroid|\bchrome|\bfirefox|\bpython|\bnode|\bjava|"
    r"\boid|\bchapter|\bsection|\bsec\.|§|\bstep|\bfigure|\bfig\.|\btable|\barticle|\bart\.|"
    r"\bpara(?:graph)?|\brule|\bclause|\bitem)\s*[:=]?\s*$"
)


def find_ips(text: str, normalised: Normalised, config: DetectorConfig) -> list[Hit]:
    """IPv4 and IPv6 addresses that can identify a machine; not loopback, unspecified,
    multicast, broadcast, netmasks, one-digit quads (1.2.3.4: section and version numbers,
    public resolvers), nor labelled version or section numbers ("v1.2.3.4", "version
    10.0.0.1", "chapter 3.12.1.4").

    >>> from inhouse.router.detectors import detect, excerpts
    >>> excerpts("from 203.0.113.7 and fe80::1ff:fe23:4567:890a")
    [('ip', '203.0.113.7'), ('ip', 'fe80::1ff:fe23:4567:890a')]
    >>> detect("bind 127.0.0.1 or 0.0.0.0 mask 255.255.255.0, Chrome 120.0.6099.109, ::1")
    []
    """
    norm = normalised.text
    hits = []
    if "." in norm:
        for match in _IPV4.finditer(norm):
            before = normalised.lower[max(0, match.start() - 20) : match.start()]
            if not _NOT_IP_LABEL.search(before) and _identifying_ip(match.group()):
                hits.append(hit_at(normalised, "ip", *match.span(), "ip", "format", "ipv4"))
    if norm.count(":") >= 2:
        for match in _IPV6.finditer(norm):
            candidate = _without_port(match.group().rstrip("."))
            if _ipv6_like(candidate) and _identifying_ip(candidate):
                start = match.start()
                hits.append(
                    hit_at(normalised, "ip", start, start + len(candidate), "ip", "format", "ipv6")
                )
    return hits


_FULL_IPV6_PORT = re.compile(r"(?:[0-9A-Fa-f]{1,4}:){8}\d{1,5}")


def _without_port(candidate: str) -> str:
    """A full IPv6 address (eight groups, no "::") with a port after it, written
    without the brackets a URL needs ("http://2b00:ff2c:...:b5b:8000"), without the port.

    >>> _without_port("2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b:8000"), _without_port("fe80::1:80")
    ('2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b', 'fe80::1:80')
    """
    if _FULL_IPV6_PORT.fullmatch(candidate):
        return candidate[: candidate.rindex(":")]
    return candidate


def _ipv6_like(candidate: str) -> bool:
    """At least one digit and four hex digits: not "a::b" nor "cafe::face"."""
    hex_digits = sum(c in "0123456789abcdefABCDEF" for c in candidate.split("%")[0])
    return hex_digits >= 4 and has_digit(candidate)


def _identifying_ip(candidate: str) -> bool:
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return False
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return False
    if address.version == 4:
        if len(candidate) == 7:  # 1.2.3.4
            return False
        value = int(address)
        inverted = ~value & 0xFFFFFFFF
        if value >> 24 == 255 and (inverted & (inverted + 1)) == 0:  # netmask, broadcast
            return False
    return True
