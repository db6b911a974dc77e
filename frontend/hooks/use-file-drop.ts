/**
 * Lets a file be dropped anywhere on the page. Listening on the window (not
 * one box) also means a file dropped beside the target never makes the
 * browser navigate to it, which would throw away an unsent recording.
 */
import { useEffect, useRef, useState } from "react";

function isFileDrag(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes("Files") ?? false;
}

/**
 * @param onFile receives the first dropped file, only while `accepting`.
 * @returns whether a file is being dragged over the page right now.
 */
export function useFileDrop(onFile: (file: File) => void, accepting: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  // Refs so the listeners are added once, yet always see the latest props.
  const onFileRef = useRef(onFile);
  const acceptingRef = useRef(accepting);
  useEffect(() => {
    onFileRef.current = onFile;
    acceptingRef.current = accepting;
  });

  useEffect(() => {
    // dragenter/dragleave fire for every child element crossed; counting
    // them is the reliable way to know when the drag really left the page.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!isFileDrag(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!isFileDrag(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (!isFileDrag(event) || !event.dataTransfer) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = acceptingRef.current ? "copy" : "none";
    };
    const drop = (event: DragEvent) => {
      if (!isFileDrag(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file && acceptingRef.current) onFileRef.current(file);
    };
    window.addEventListener("dragenter", enter);
    window.addEventListener("dragleave", leave);
    window.addEventListener("dragover", over);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragenter", enter);
      window.removeEventListener("dragleave", leave);
      window.removeEventListener("dragover", over);
      window.removeEventListener("drop", drop);
    };
  }, []);

  return dragging;
}
