import type { Metadata } from "next";
import { YourNotes } from "@/components/YourNotes";

export const metadata: Metadata = { title: "Your notes" };

/** Where the "email me my notes" link goes: `/notes#token=…` (the fragment never reaches a server). */
export default function NotesPage() {
  return <YourNotes />;
}
