"""Moving and recovering an account: transfer codes and recovery codes (docs/api.md §2).

A phone is the account; these codes let its owner take it to a new phone or
get it back after a reinstall, without a password:

- ``crockford``: what a code looks like (Crockford base32, grouped by 4) and how
  typed input is read back;
- ``models``: ``DeviceCode``, a code kept only as its keyed hash (a ``devices`` model);
- ``services``: making a code, claiming one, revoking a device's codes;
- ``serializers``, ``schema``, ``views``: the three endpoints, routed by ``devices.urls``;
- ``throttling``: the claim's per-address rate (``THROTTLE_CLAIM``);
- ``admin``: what the back office shows of a device's codes and the revoke action.
"""
