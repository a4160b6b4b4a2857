/** Types of scripts/icons.js for the tests. */
export function renderIcon(size: number, background: readonly [number, number, number] | undefined): Buffer;
export function writeIcons(directory: string): void;
