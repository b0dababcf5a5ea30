"""Open Badges 3.0, pure: signing, verifying, status lists and baking, without Django.

Everything here works offline from the JSON-LD contexts and JSON Schemas bundled in
``data/`` (1EdTech's Open Badges 3.0 specification and the W3C Verifiable Credentials
Data Model 2.0 publish them); nothing is fetched at run time. The Django app
``uptake.badges`` issues districts' credentials with it; ``uptake verify`` checks any
credential with it.

- ``jsonld``: the offline document loader, RDFC-1.0 canonical N-Quads, the strict-term check.
- ``keys``: Ed25519 Multikeys and RSA JWKs.
- ``proof``: Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.
- ``schema``: validation against the official JSON Schema.
- ``status``: W3C Bitstring Status Lists.
"""
