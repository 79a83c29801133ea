"""Passwords and other key=value secrets: passwords in key=value, prose, login and table
forms, and placeholders that are none. Each positive with its exact span; each hard
negative must not fire."""

from __future__ import annotations

from inhouse.router.detectors import excerpts
from tests.router.cases import family_tests, found

POSITIVES = [
    # password
    (
        'DB_PASSWORD="hunter2!" and pwd: S3cr3t!',
        [("password", "hunter2!"), ("password", "S3cr3t!")],
    ),
    ("PGPASSWORD=tr0ub4dor psql", [("password", "tr0ub4dor")]),
    ('{"api_key": "abc123xyz789", "user": "x"}', [("password", "abc123xyz789")]),
    (
        "contraseña: Perro123; mot de passe : azerty123",
        [("password", "Perro123"), ("password", "azerty123")],
    ),
    (
        "my password is hunter2. Mein Passwort ist Sommer2024!",
        [("password", "hunter2"), ("password", "Sommer2024")],
    ),
    (
        "<password>hunter2</password> --api-key=k3y-v4lue-123",
        [("password", "hunter2"), ("password", "k3y-v4lue-123")],
    ),
    ("your PIN is 4821", [("password", "4821")]),
    ("пароль: qwerty123; 密码：abc12345", [("password", "qwerty123"), ("password", "abc12345")]),
    ("pаsswоrd = letmein99", [("password", "letmein99")]),  # Cyrillic а, о
    # password: a few words after its name, brackets in it, a login's "user / password",
    # full-width or with an invisible character inside, a column headed "password"
    ("I changed the wifi password to Kestrel1691%. Can you", [("password", "Kestrel1691%")]),
    ("The admin password for the router is !Ob00Yiu%Pz. Could", [("password", "!Ob00Yiu%Pz")]),
    ('"The temporary password they gave me is Welcome1711*."', [("password", "Welcome1711*")]),
    ("Mon mot de passe est #Xw9FRjE%x(.", [("password", "#Xw9FRjE%x(")]),
    ("Mein Passwort ist $hmasC_zi8gZ. Bitte", [("password", "$hmasC_zi8gZ")]),
    (
        '"Login is christopher / CWE#qL&*o)w5Jp!jFJ5."',
        [("password", "CWE#qL&*o)w5Jp!jFJ5")],
    ),
    ("Login is cody / horse-rocket-river-violet59.", [("password", "horse-rocket-river-violet59")]),
    ('"Login is kelly / Ti\u200dger343?."', [("password", "Ti\u200dger343?")]),
    (
        "I changed the wifi password to Ｉ＆０Ｗｕｘｕｌ＃５ＭＳａ.",
        [("password", "Ｉ＆０Ｗｕｘｕｌ＃５ＭＳａ")],
    ),
    (
        "port: 8080\nredis_password: )xng#Kvg)X0u0!Us\nSMTP_PASSWORD=9UxH(oeTB09si+phC)zP",
        [("password", ")xng#Kvg)X0u0!Us"), ("password", "9UxH(oeTB09si+phC)zP")],
    ),
    ('+DB_PASSWORD = "iEyj5IrDM($nx"', [("password", "iEyj5IrDM($nx")]),
    ("user;password;role\nann;Welcome1!;admin", [("password", "Welcome1!")]),
]

HARD_NEGATIVES = [
    "password: str = os.environ['PW']; the password is stored hashed",
    "Password must be at least 8 characters; password=${DB_PASSWORD}",
    "password: <your password>; password = getpass(); api_key = settings.api_key",
    "token = tokenizer(text); max_tokens=100; secret: ****; enter your PIN",
    "set max_new_tokens=256 and temperature=0.7; read os.environ['OPENAI_API_KEY']",
    # a password's name with no password after it
    "I forgot my password to my Windows10 laptop, what now?",
    "The password is at least 12 characters and must include a symbol like ! or #.",
    "Set the password to expire after 90 days. My password manager is 1Password8.",
    "The password for the router is in settings_v2.yaml, the guest one in vault/prod/wifi1",
    "The login page is at https://app.example.com/login2; Login is admin / admin by default.",
    "Should I pin numpy==1.26.4? Change the password to something with 12+ chars.",
    "Your password was changed on 2024-05-01 at 10:30am; password: ${{ secrets.DB_PW2 }}",
    "Das Passwort ist zu kurz (mindestens 12 Zeichen). Wie lautet das Passwort für WLAN2024?",
    "Credentials are in the vault under team/app1; sign-in is with Google / GitHub.",
    # a table's column whose name only starts with a password's or phone's name
    "| Setting | Password policy |\n|---|---|\n| length | enabled |\n| Admins | strict |",
]


test_finds_each_type_with_its_exact_span, test_hard_negatives_do_not_fire = family_tests(
    POSITIVES, HARD_NEGATIVES
)


def test_email_in_a_url_password_is_reported_as_both() -> None:
    text = "postgres://admin:s3cret@db.internal:5432/app"
    assert ("password", "s3cret") in excerpts(text)


def test_hidden_tag_characters_are_read() -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "password=hunter2")
    text = f"hello {hidden} world"
    assert found(text) == [("password", 6 + 9, 6 + 16)]  # the tags spelling "hunter2"
