import type { Metadata } from "next";
import { Unsubscribe } from "@/components/Unsubscribe";

export const metadata: Metadata = { title: "Stop these emails" };

/** Where a summary email's "Stop these emails" link goes: `/unsubscribe#token=…`. */
export default function UnsubscribePage() {
  return <Unsubscribe />;
}
