"""API keys, tokens and private keys: vendor keys, high-entropy tokens and private keys,
and hashes, IDs and prefixes that are none. Each positive with its exact span; each hard
negative must not fire."""

from __future__ import annotations

from tests.router.cases import family_tests

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"

POSITIVES = [
    # api_key
    ("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", [("api_key", "AKIAIOSFODNN7EXAMPLE")]),
    (
        "token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        [("api_key", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")],
    ),
    (
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        [("api_key", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")],
    ),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", [("api_key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")]),
    (
        "openai sk-proj-abc123DEF456ghi789JKL012mno345",
        [("api_key", "sk-proj-abc123DEF456ghi789JKL012mno345")],
    ),
    (
        "key=AIzaSyA1234567890abcdefghijklmnopqrstuv",
        [("api_key", "AIzaSyA1234567890abcdefghijklmnopqrstuv")],
    ),
    ("jwt " + JWT, [("api_key", JWT)]),
    (
        "Authorization: Bearer abcdef1234567890abcdef",
        [("api_key", "Bearer abcdef1234567890abcdef")],
    ),
    (
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        [("api_key", "Authorization: Basic dXNlcjpwYXNzd29yZA==")],
    ),
    ("use rT7kQ2xLm9PqZ4vB8nW3yH6j here", [("api_key", "rT7kQ2xLm9PqZ4vB8nW3yH6j")]),
    # private_key
    (
        "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
        "-----END RSA PRIVATE KEY-----\nthanks",
        [
            (
                "private_key",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
                "-----END RSA PRIVATE KEY-----",
            )
        ],
    ),
    # api_key split into groups by spaces
    (
        "The AWS access key we were given is AKIAR3SQ DFFXRGNE CFUO. The",
        [("api_key", "AKIAR3SQ DFFXRGNE CFUO")],
    ),
    (
        '-H "Authorization: Bearer xoxb-5 431669 162106 -52398 909671 51-HKF kUt8Yj aKlGm7 b5sJba'
        ' FTU" -d channel=C024BE91L',
        [("api_key", "xoxb-5 431669 162106 -52398 909671 51-HKF kUt8Yj aKlGm7 b5sJba FTU")],
    ),
]

HARD_NEGATIVES = [
    "id 550e8400-e29b-41d4-a716-446655440000",
    "commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, git checkout 3f2a1bc",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "integrity sha512-K7GFGhPpa3Z8D7+dXjQ1f2kL9mN0pQ==",
    "hash 5d41402abc4b2a76b9719d911017c592",
    "getUserAccountSettings2024ByIdentifier cp311-cp311-manylinux_2_17_x86_64.whl",
    "node_modules/.bin/webpack-cli x86_64-unknown-linux-gnu MyVeryLongVariableName123",
    "https://example.com/project/commit/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b?page=2",
    '{"id": "evt_1NXWPk2eZvKYlo2C", "customer": "cus_NffrFeUfNV2Hib", "livemode": false}',
    "docker run -p 8080:80 nginx:1.25.3-alpine; kubectl get pods | grep web-7d8f9b6c5d",
    "What does -----BEGIN RSA PRIVATE KEY----- mean?",
    "pip install scikit-learn; see sk-learn-documentation-for-details",
    # a vendor's prefix before words
    "AKIA is the prefix of AWS access keys, e.g. AKIA plus 16 characters; xoxb- is for bots",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)
