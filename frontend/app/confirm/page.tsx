import type { Metadata } from "next";
import { ConfirmAddress } from "@/components/ConfirmAddress";

export const metadata: Metadata = { title: "Confirm your address" };

/** Where the confirmation email links: `/confirm#token=…` (the fragment never reaches a server). */
export default function ConfirmPage() {
  return <ConfirmAddress />;
}
