"""Secrets of the service: console tokens, one-time enrollment codes, head-office passwords.

Tokens and codes are high-entropy random strings, so one SHA-256 pass is
enough to make a stolen table useless; passwords are chosen by people and get
scrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# Crockford-style alphabet: no 0/O or 1/I/L to misread when a code is read out over the phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_GROUPS = 4
_CODE_GROUP_LENGTH = 5   # 20 characters: about 99 bits

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_enrollment_code() -> str:
    groups = ("".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUP_LENGTH))
              for _ in range(_CODE_GROUPS))
    return "-".join(groups)


def enrollment_code_hash(code: str) -> str:
    # People type codes in lower case and with or without the dashes.
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return "$".join(("scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)
