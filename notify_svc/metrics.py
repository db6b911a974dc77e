"""The notification service's metrics, and the two to alert on.

- `emails_total{outcome="unknown"}`: an email Mailjet never confirmed nor denied; the request
  failed with `delivery_unknown` and its user may have received it, or not. Any is too many.
- `email_provider_auth_failures_total`: the provider refused the API key pair (a rotation half
  done, a revoked key); every email waits until the settings are right.
"""

from __future__ import annotations

from prometheus_client import Counter

# "failed" is permanent (the provider refused); "deferred" will be retried; "unknown" is neither
# confirmed nor denied, and will not be retried.
EMAILS = Counter(
    "emails_total",
    "Emails by provider and outcome: sent, reconciled (found already sent), failed, deferred,"
    " unknown.",
    ["provider", "outcome"],
)
AUTH_FAILURES = Counter(
    "email_provider_auth_failures_total",
    "Calls the email provider refused with 401 or 403: its API keys (or sender) need fixing.",
    ["provider"],
)
