"""A software WebAuthn security key for the benchmark: ES256, attestation "none", WebAuthn
Level 3 JSON. (The integration tests use the Rust one in shared/src/fixtures/authenticator.rs,
which can also get every field wrong; this one only answers correctly.)"""

import base64
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cbor(value):
    """The CBOR an authenticator writes: integers, byte and text strings, maps."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        if n < 65536:
            return bytes([major << 5 | 25]) + struct.pack(">H", n)
        return bytes([major << 5 | 26]) + struct.pack(">I", n)
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        return head(3, len(value.encode())) + value.encode()
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(type(value))


class SoftKey:
    def __init__(self, origin, rp_id="localhost"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0
        self.origin, self.rp_id = origin, rp_id

    def _client_data(self, ceremony, options):
        return json.dumps({"type": ceremony, "challenge": options["challenge"],
                           "origin": self.origin, "crossOrigin": False}).encode()

    def _auth_data(self, flags, attested=b""):
        return (hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags])
                + struct.pack(">I", self.counter) + attested)

    def _credential(self, response):
        id_ = b64url(self.credential_id)
        return {"id": id_, "rawId": id_, "type": "public-key", "response": response,
                "clientExtensionResults": {}}

    def register(self, options):
        """A RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON."""
        numbers = self.key.public_key().public_numbers()
        cose = cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                     -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cose
        auth_data = self._auth_data(UP | UV | AT, attested)
        attestation = cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._credential({
            "clientDataJSON": b64url(self._client_data("webauthn.create", options)),
            "attestationObject": b64url(attestation), "transports": ["usb"]})

    def assertion(self, options):
        """An AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON."""
        self.counter += 1
        client_data = self._client_data("webauthn.get", options)
        auth_data = self._auth_data(UP | UV)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(),
                                  ec.ECDSA(hashes.SHA256()))
        return self._credential({
            "clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
            "signature": b64url(signature), "userHandle": None})
