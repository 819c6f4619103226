"""Container health probe: ``python -m countonme.ops.healthcheck [/health/ready]``.

Asks the local server with the first ``ALLOWED_HOSTS`` name as ``Host``: with
a real host name configured, a bare ``127.0.0.1`` would be refused (400).
Standard library only, so the probe costs no Django start-up.
"""

import os
import sys
import urllib.request


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/health"
    host = (os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip() or "localhost").lstrip(".")
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
