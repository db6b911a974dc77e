import { describeProblem, type RecorderProblem } from "@/lib/recorder";

/** Explains why recording is not possible and what the person can do about it. */
export function ProblemNotice({ problem }: { problem: RecorderProblem }) {
  const { title, help } = describeProblem(problem);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{help}</p>
    </div>
  );
}
