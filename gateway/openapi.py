"""Print the HTTP API's OpenAPI document: `python -m gateway.openapi`.

`make api-types` turns it into the frontend's TypeScript types (frontend/lib/api-types.ts). The
document depends on the routes and schemas only, never on the settings, so the defaults do.
"""

from __future__ import annotations

import json
import sys

from gateway.app import create_app
from gateway.config import GatewaySettings


def main() -> None:
    document = create_app(GatewaySettings()).openapi()
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
