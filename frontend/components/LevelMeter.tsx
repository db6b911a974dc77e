"use client";

import { useEffect, useRef } from "react";
import { levelFromSamples, smoothLevel } from "@/lib/level";

/**
 * A live bar showing how loud the microphone is, so people can see they are
 * being heard before they talk for a minute into a muted headset. It draws
 * straight to the DOM on each animation frame: re-rendering React sixty
 * times a second would be wasted work.
 */
export function LevelMeter({ stream }: { stream: MediaStream }) {
  const meterRef = useRef<HTMLDivElement>(null);
  const barRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const meter = meterRef.current;
    const bar = barRef.current;
    if (!meter || !bar) return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let level = 0;
    let frame = 0;

    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      level = smoothLevel(level, levelFromSamples(samples));
      bar.style.transform = `scaleX(${level})`;
      meter.setAttribute("aria-valuenow", String(Math.round(level * 100)));
      frame = requestAnimationFrame(draw);
    };
    // Created after an await, so some browsers start it suspended despite the click.
    void context.resume();
    frame = requestAnimationFrame(draw);

    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close();
    };
  }, [stream]);

  return (
    <div
      ref={meterRef}
      className="level-meter"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      // Initial value only: the effect updates the attribute itself each frame, and React
      // leaves it alone because this prop never changes.
      aria-valuenow={0}
    >
      <div ref={barRef} className="level-meter-bar" />
    </div>
  );
}
