import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import "./controls.css";
import "./status.css";

export const metadata: Metadata = {
  title: { default: "Voice note summaries", template: "%s · Voice note summaries" },
  description: "Record a voice note and get a short summary with a next step by email.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f5f1" },
    { media: "(prefers-color-scheme: dark)", color: "#1b1c1e" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="site-name">
            Voice note summaries
          </Link>
        </header>
        <main id="main" className="page">
          {children}
        </main>
      </body>
    </html>
  );
}
