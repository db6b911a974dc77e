/**
 * Response headers for every page (next.config.ts): a Content-Security-Policy
 * that lets the app do what it does and nothing more, and no framing at all.
 *
 * What the app needs: its own scripts, styles and icons; `fetch` to the
 * gateway (another origin); `blob:` media, for playing back a recording before
 * it is sent. Scripts keep 'unsafe-inline' because Next.js inlines its
 * bootstrap data in each page; nonces would force every page to be rendered
 * per request. The app renders no HTML from outside (React escapes text), so
 * that is the gap it has to live with.
 */

export interface Header {
  key: string;
  value: string;
}

/** The origin of the gateway's base URL; a build with a URL that is not one fails here. */
export function originOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`not an http(s) URL: ${baseUrl}`);
  return url.origin;
}

/** The policy for pages of an app that talks to the gateway at `apiBaseUrl`. */
export function contentSecurityPolicy(apiBaseUrl: string, { dev }: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // `next dev` evaluates code for its fast refresh and talks to itself over a WebSocket.
    "script-src": ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", originOf(apiBaseUrl), ...(dev ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

export function securityHeaders(apiBaseUrl: string, { dev }: { dev: boolean }): Header[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(apiBaseUrl, { dev }) },
    // For browsers that predate frame-ancestors.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Status page addresses carry a request's id: they go to no other site.
    { key: "Referrer-Policy", value: "no-referrer" },
    // The microphone for this site only; nothing else the app does not use.
    { key: "Permissions-Policy", value: "microphone=(self), camera=(), geolocation=(), payment=()" },
  ];
}
