"""IP addresses: IPv4 and IPv6 addresses, also defanged, and what is no identifying
address. Each positive with its exact span; each hard negative must not fire."""

from __future__ import annotations

from tests.router.cases import family_tests

POSITIVES = [
    # ip
    ("server 192.168.1.20 and 10.0.0.1:8080", [("ip", "192.168.1.20"), ("ip", "10.0.0.1")]),
    ("from 203.0.113.7.", [("ip", "203.0.113.7")]),
    (
        "host 2001:db8:85a3::8a2e:370:7334 / fe80::1ff:fe23:4567:890a%eth0",
        [("ip", "2001:db8:85a3::8a2e:370:7334"), ("ip", "fe80::1ff:fe23:4567:890a%eth0")],
    ),
    ("１９２．１６８．１．２０", [("ip", "１９２．１６８．１．２０")]),
    # ip with spelled or bracketed dots (normalise writes the dots)
    ("from 172 dot 22 dot 71 dot 194 port 22", [("ip", "172 dot 22 dot 71 dot 194")]),
    (
        "client 10(.)42(.)153(.)239 and 189[.]57[.]53[.]12, ２１９[.]９７[.]１３１[.]１２２",
        [
            ("ip", "10(.)42(.)153(.)239"),
            ("ip", "189[.]57[.]53[.]12"),
            ("ip", "２１９[.]９７[.]１３１[.]１２２"),
        ],
    ),
    ("DB at 10 [dot] 0 [dot] 12 [dot] 7", [("ip", "10 [dot] 0 [dot] 12 [dot] 7")]),
    # ip: a full IPv6 address with a port after it, without the brackets
    (
        'BASE_URL = "http://2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b:8000"',
        [("ip", "2b00:ff2c:20a9:34a3:5737:b3c5:fb8e:b5b")],
    ),
]

HARD_NEGATIVES = [
    "upgrade to v1.2.3.4 or version 2.14.1; release 10.0.19041.1; Python 3.11.7",
    "Chrome 120.0.6099.109, chapter 3.2.1.4, OID 1.3.6.1.4.1.311",
    "bind 127.0.0.1 and 0.0.0.0, netmask 255.255.255.0, ::1, std::vector<int>, a::b",
    # spelled or bracketed dots between numbers that are no identifying IP address
    "version 1 dot 2 dot 3 dot 4, Chrome 120 (dot) 0 (dot) 6099 (dot) 109, 10 dot 2 dot 3",
    "bind 127 dot 0 dot 0 dot 1, mask 255[.]255[.]255[.]0, the dot com bubble of 2000",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
