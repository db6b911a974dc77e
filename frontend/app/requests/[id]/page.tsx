import type { Metadata } from "next";
import { RequestStatusView } from "@/components/RequestStatusView";

export const metadata: Metadata = { title: "Status" };

interface RequestPageProps {
  params: Promise<{ id: string }>;
}

/** Shareable and reload-safe: fetched with the id in the path and the key in the fragment. */
export default async function RequestPage({ params }: RequestPageProps) {
  const { id } = await params;
  return <RequestStatusView id={id} />;
}
