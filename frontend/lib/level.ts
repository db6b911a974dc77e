/**
 * The live input level meter's arithmetic, kept pure so it can be tested
 * without a microphone (components/LevelMeter.tsx feeds it real samples).
 */

/** Quieter than this reads as silence: room noise should not wiggle the meter. */
const FLOOR_DB = -60;

/**
 * Loudness of one block of samples in [-1, 1] as a fraction of the meter:
 * the RMS in decibels, mapped linearly from the floor (0) to full scale (1),
 * which matches how loud speech sounds better than raw amplitude does.
 */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sumOfSquares = 0;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index] ?? 0;
    sumOfSquares += sample * sample;
  }
  const rms = Math.sqrt(sumOfSquares / samples.length);
  if (rms === 0) return 0;
  const decibels = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (decibels - FLOOR_DB) / -FLOOR_DB));
}

/**
 * Rises at once, falls gently (per animation frame), like a hardware meter:
 * without it the bar flickers too fast to read.
 */
export function smoothLevel(previous: number, current: number, fallPerFrame = 0.04): number {
  return Math.max(current, previous - fallPerFrame);
}
