// The one field registry: every protocol and field abbrev known to the tree, the filter and the columns.

export type FieldType =
  | 'protocol' // a protocol layer; its value is the bytes it covers
  | 'none' // label only (subtree heads, text items)
  | 'bool' // value: number (0/1 after masking); printed 1/0 by -T fields
  | 'uint' // value: number (fits 2^53)
  | 'int'
  | 'float' // value: number; printed with %g-like formatting unless `decimals` set
  | 'ipv4' // value: number (uint32, host order)
  | 'ipv6' // value: Uint8Array(16)
  | 'ether' // value: Uint8Array(6)
  | 'bytes' // value: Uint8Array
  | 'string' // value: string
  | 'time_abs' // value: TimeValue
  | 'time_rel' // value: number (seconds) or an exact TimeValue duration — printed with 9 decimals
  | 'framenum'; // value: number (frame number)

// 'none': a number that only stands for its value name (Wireshark's BASE_NONE with names, e.g. checksum status)
export type Base = 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec' | 'none';

export interface TimeValue {
  /** whole seconds since the epoch */
  s: number;
  /** nanoseconds 0..999_999_999 */
  ns: number;
}

export type Value = number | string | Uint8Array | TimeValue;

export interface FieldSpec {
  abbrev: string;
  name: string;
  type: FieldType;
  /** bit width of the whole (unmasked) integer: drives hex padding and bitmask drawing */
  bits?: number;
  base?: Base;
  /** for sub-fields of a bitfield: the mask within the `bits`-wide integer */
  mask?: number;
  /** value names (value_string); also accepted as literals by the filter */
  values?: Readonly<Record<number, string>>;
  /** true/false strings for bool fields, default ['Set', 'Not set'] */
  tf?: readonly [string, string];
  /** unit suffix for display, e.g. ' bytes' */
  unit?: string;
  /** decimals for float display and -T fields */
  decimals?: number;
  /** short description, shown in autocomplete */
  blurb?: string;
}

export interface FieldDef extends Required<Pick<FieldSpec, 'abbrev' | 'name' | 'type'>> {
  readonly id: number;
  readonly bits: number;
  readonly base: Base;
  readonly mask: number;
  readonly shift: number;
  readonly values: Readonly<Record<number, string>> | undefined;
  readonly tf: readonly [string, string];
  readonly unit: string;
  readonly decimals: number | undefined;
  readonly blurb: string;
  /** the protocol this field belongs to (its abbrev up to the first dot) */
  readonly proto: string;
}

const byAbbrev = new Map<string, FieldDef>();
const byId: FieldDef[] = [];

function trailingZeros(mask: number): number {
  if (mask === 0) return 0;
  let n = 0;
  while (mask % 2 === 0) {
    mask = Math.floor(mask / 2);
    n++;
  }
  return n;
}

/** Register a field (idempotent for identical abbrevs, so modules can be re-imported). */
export function field(spec: FieldSpec): FieldDef {
  const existing = byAbbrev.get(spec.abbrev);
  if (existing) return existing;
  const mask = spec.mask ?? 0;
  const def: FieldDef = {
    id: byId.length,
    abbrev: spec.abbrev,
    name: spec.name,
    type: spec.type,
    bits: spec.bits ?? 0,
    base: spec.base ?? 'dec',
    mask,
    shift: trailingZeros(mask),
    values: spec.values,
    tf: spec.tf ?? ['Set', 'Not set'],
    unit: spec.unit ?? '',
    decimals: spec.decimals,
    blurb: spec.blurb ?? '',
    proto: spec.abbrev.split('.')[0]!,
  };
  byAbbrev.set(def.abbrev, def);
  byId.push(def);
  return def;
}

/** Register a protocol: a field of type 'protocol' named by its filter name. */
export function protocol(abbrev: string, name: string, blurb = ''): FieldDef {
  return field({ abbrev, name, type: 'protocol', blurb });
}

/** Register many fields under a common prefix; returns them keyed by the last abbrev part(s). */
export function fields<K extends string>(specs: Record<K, FieldSpec>): Record<K, FieldDef> {
  const out = {} as Record<K, FieldDef>;
  for (const k of Object.keys(specs) as K[]) out[k] = field(specs[k]);
  return out;
}

export function getField(abbrev: string): FieldDef | undefined {
  return byAbbrev.get(abbrev);
}

export function fieldById(id: number): FieldDef {
  const f = byId[id];
  if (!f) throw new Error(`no field with id ${id}`);
  return f;
}

export function allFields(): readonly FieldDef[] {
  return byId;
}

/** A pseudo-field for text-only tree items (no abbrev, not filterable). */
export const TEXT: FieldDef = field({ abbrev: '_ws.text', name: 'Text', type: 'none' });
/** Expert info items, as Wireshark's _ws.expert. */
export const EXPERT = field({ abbrev: '_ws.expert', name: 'Expert Info', type: 'protocol' });
export const EXPERT_MESSAGE = field({ abbrev: '_ws.expert.message', name: 'Message', type: 'string' });
export const EXPERT_SEVERITY = field({
  abbrev: '_ws.expert.severity',
  name: 'Severity level',
  type: 'uint',
  values: { 0x200000: 'Chat', 0x400000: 'Note', 0x600000: 'Warning', 0x800000: 'Error', 0x100000: 'Comment' },
});
export const EXPERT_GROUP = field({
  abbrev: '_ws.expert.group',
  name: 'Group',
  type: 'uint',
  values: {
    0x01000000: 'Checksum',
    0x02000000: 'Sequence',
    0x03000000: 'Response code',
    0x04000000: 'Request code',
    0x05000000: 'Undecoded',
    0x06000000: 'Reassemble',
    0x07000000: 'Malformed',
    0x08000000: 'Debug',
    0x09000000: 'Protocol',
    0x0a000000: 'Security',
    0x0b000000: 'Comment',
    0x0c000000: 'Decryption',
    0x0d000000: 'Assumption',
    0x0e000000: 'Deprecated',
  },
});
export const MALFORMED = protocol('_ws.malformed', 'Malformed Packet');
export const SHORT = field({ abbrev: '_ws.short', name: 'Packet size limited during capture', type: 'protocol' });
