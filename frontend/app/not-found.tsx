import Link from "next/link";

export default function NotFound() {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Record a new voice note</Link>
      </p>
    </section>
  );
}
