import { EmailMyNotes } from "@/components/EmailMyNotes";
import { NewNote } from "@/components/NewNote";
import { RecentNotes } from "@/components/RecentNotes";

export default function RecordPage() {
  return (
    <>
      <div className="intro">
        <h1>Say it once, get the summary by email</h1>
        <p className="muted">
          Record a voice note or pick an audio file. We transcribe it and email you three to five key points and a next
          step, now or at a time you choose.
        </p>
      </div>
      <NewNote />
      <RecentNotes />
      <EmailMyNotes />
    </>
  );
}
