/**
 * A ref callback that focuses an element when it appears, so keyboard users
 * land in a panel that just opened. Module-level, hence stable: React calls
 * it once on mount, not on every render.
 */
export function focusOnMount(element: HTMLElement | null): void {
  element?.focus();
}
