import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The browser tests build into .next-e2e (with their own gateway URL baked in), so they
  // never replace a developer's build or trip over a running dev server.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
