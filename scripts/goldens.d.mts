// Types of the helpers the conformance test imports from goldens.mjs.
export function fieldGroups(text: string): Record<string, string[]>;
export function filterList(text: string): string[];
export function captureList(): { name: string; path: string; copied: boolean }[];
