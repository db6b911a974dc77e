import type { NextConfig } from "next";
import { API_BASE_URL } from "./lib/config";
import { securityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // The browser tests build into .next-e2e (with their own gateway URL baked in), so they
  // never replace a developer's build or trip over a running dev server.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  async headers() {
    const dev = process.env.NODE_ENV === "development";
    return [{ source: "/:path*", headers: securityHeaders(API_BASE_URL, { dev }) }];
  },
};

export default nextConfig;
