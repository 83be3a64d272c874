// Types of the helpers test/output/tcpdump.test.ts imports from tcpdump-goldens.mjs.
export const PACKET_START: RegExp;
export function packets(text: string): string[];
