"""Open Badges 3.0 for the district's micro-credentials: issuers, keys, signed
credentials, Bitstring Status Lists, delivery, verification. The signing and verifying
themselves are ``uptake.openbadges`` (pure); this app keeps the rows and serves the pages."""
