/**
 * The token an emailed link carries in its fragment (`#token=…`): browsers send fragments to no
 * server, so the token reaches no log. It is read once and then removed from the address bar, so
 * it does not stay in the history either.
 */
export function takeLinkToken(
  location: Pick<Location, "hash">,
  history?: Pick<History, "replaceState">,
): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  history?.replaceState(null, "", " ");
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}
