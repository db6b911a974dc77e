import type { NextConfig } from "next";

/**
 * Response headers for every page: a Content-Security-Policy that lets the app
 * do what it does and nothing more, and no framing at all.
 *
 * What the app needs: its own scripts, styles and icons; `fetch` to the
 * gateway (another origin); `blob:` media, for playing back a recording before
 * it is sent. Scripts keep 'unsafe-inline' because Next.js inlines its
 * bootstrap data in each page; nonces would force every page to be rendered
 * per request. The app renders no HTML from outside (React escapes text), so
 * that is the gap it has to live with.
 *
 * All of it is in this file on purpose: Next.js resolves a relative import here
 * against the working directory, so `next start frontend` run from elsewhere
 * would fail to load the config and serve every page without these headers.
 */

/** The gateway the browser calls: as lib/config.ts reads it (a unit test holds them equal). */
export const apiBaseUrl = process.env.NEXT_PUBLIC_API_BASE_URL || "http://localhost:8000";

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

/** The policy for pages of an app that talks to the gateway at `gatewayUrl`. */
export function contentSecurityPolicy(gatewayUrl: string, { dev }: { dev: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // `next dev` evaluates code for its fast refresh and talks to itself over a WebSocket.
    "script-src": ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", originOf(gatewayUrl), ...(dev ? ["ws:"] : [])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

export function securityHeaders(gatewayUrl: string, { dev }: { dev: boolean }): Header[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(gatewayUrl, { dev }) },
    // For browsers that predate frame-ancestors.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Status page addresses carry a request's id: they go to no other site.
    { key: "Referrer-Policy", value: "no-referrer" },
    // The microphone for this site only; nothing else the app does not use.
    { key: "Permissions-Policy", value: "microphone=(self), camera=(), geolocation=(), payment=()" },
  ];
}

const nextConfig: NextConfig = {
  // `next dev` refuses its own scripts and hot-reload socket to pages opened from another host
  // than localhost, and the page then never hydrates (the record button does nothing). The
  // same machine by its address must work too (`make dev` prints both).
  allowedDevOrigins: ["127.0.0.1"],
  // The browser tests build into .next-e2e (with their own gateway URL baked in), so they
  // never replace a developer's build or trip over a running dev server.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  async headers() {
    const dev = process.env.NODE_ENV === "development";
    return [{ source: "/:path*", headers: securityHeaders(apiBaseUrl, { dev }) }];
  },
};

export default nextConfig;
