// Type vocabulary of the display-filter engine: how registry field types map onto Wireshark's
// ftypes (for error texts and compatibility rules), and the value kinds the evaluator works with.
import type { FieldDef, FieldType } from '../fields/registry';

/**
 * The type of a value flowing through a compiled filter. Fields keep their registry type; slices and
 * byte-string literals are 'bytes'; function results carry the type of what they return.
 */
export interface VType {
  type: FieldType;
  /** integer width in bits (for 'uint'/'int'); 0 = unknown (treated as 32) */
  bits: number;
}

export function vtypeOf(f: FieldDef): VType {
  return { type: f.type, bits: f.bits };
}

export const BYTES_T: VType = { type: 'bytes', bits: 0 };
export const STRING_T: VType = { type: 'string', bits: 0 };
export const UINT32_T: VType = { type: 'uint', bits: 32 };

/** Byte width Wireshark would give an integer field of this bit width. */
export function intBytes(bits: number): number {
  if (!bits) return 4;
  if (bits <= 8) return 1;
  if (bits <= 16) return 2;
  if (bits <= 24) return 3;
  if (bits <= 32) return 4;
  if (bits <= 40) return 5;
  if (bits <= 48) return 6;
  if (bits <= 56) return 7;
  return 8;
}

/** Wireshark's FT_ name, as in "FT_STRING cannot +." */
export function ftName(t: VType): string {
  switch (t.type) {
    case 'uint':
      return `FT_UINT${intBytes(t.bits) * 8}`;
    case 'int':
      return `FT_INT${intBytes(t.bits) * 8}`;
    case 'bool':
      return 'FT_BOOLEAN';
    case 'framenum':
      return 'FT_FRAMENUM';
    case 'float':
      return 'FT_DOUBLE';
    case 'ipv4':
      return 'FT_IPv4';
    case 'ipv6':
      return 'FT_IPv6';
    case 'ether':
      return 'FT_ETHER';
    case 'bytes':
      return 'FT_BYTES';
    case 'string':
      return 'FT_STRING';
    case 'time_abs':
      return 'FT_ABSOLUTE_TIME';
    case 'time_rel':
      return 'FT_RELATIVE_TIME';
    case 'protocol':
      return 'FT_PROTOCOL';
    case 'none':
      return 'FT_NONE';
  }
}

/** Wireshark's descriptive type name, as in "(type=Unsigned integer (2 bytes))". */
export function prettyName(t: VType): string {
  switch (t.type) {
    case 'uint': {
      const n = intBytes(t.bits);
      return `Unsigned integer (${n} byte${n === 1 ? '' : 's'})`;
    }
    case 'int': {
      const n = intBytes(t.bits);
      return `Signed integer (${n} byte${n === 1 ? '' : 's'})`;
    }
    case 'bool':
      return 'Boolean';
    case 'framenum':
      return 'Frame number';
    case 'float':
      return 'Floating point (double-precision)';
    case 'ipv4':
      return 'IPv4 address';
    case 'ipv6':
      return 'IPv6 address';
    case 'ether':
      return 'Ethernet or other MAC address';
    case 'bytes':
      return 'Byte sequence';
    case 'string':
      return 'Character string';
    case 'time_abs':
      return 'Date and time';
    case 'time_rel':
      return 'Time offset';
    case 'protocol':
      return 'Protocol';
    case 'none':
      return 'Label';
  }
}

export function isIntegral(t: FieldType): boolean {
  return t === 'uint' || t === 'int' || t === 'framenum';
}

/** Value kinds held at run time (several registry types share a representation). */
export type Kind = 'num' | 'ipv4' | 'ipv6' | 'bytes' | 'string' | 'time';

export function kindOf(t: FieldType): Kind {
  switch (t) {
    case 'uint':
    case 'int':
    case 'bool':
    case 'framenum':
    case 'float':
    case 'time_rel':
      return 'num';
    case 'ipv4':
      return 'ipv4';
    case 'ipv6':
      return 'ipv6';
    case 'ether':
    case 'bytes':
    case 'protocol':
    case 'none':
      return 'bytes';
    case 'string':
      return 'string';
    case 'time_abs':
      return 'time';
  }
}

/** Can two operands of these types be compared (Wireshark 4.0's compatibility rules, LHS first)? */
export function compatible(a: FieldType, b: FieldType): boolean {
  if (isIntegral(a)) return isIntegral(b) || b === 'bool';
  switch (a) {
    case 'bool':
      return b === 'bool';
    case 'float':
      return b === 'float';
    case 'ether':
    case 'bytes':
      return b === 'ether' || b === 'bytes';
    default:
      return a === b;
  }
}

export function canEq(t: FieldType): boolean {
  return t !== 'none';
}
export function canOrder(t: FieldType): boolean {
  return t !== 'none';
}
export function canContains(t: FieldType): boolean {
  return t === 'bytes' || t === 'ether' || t === 'protocol' || t === 'string';
}
export function canMatches(t: FieldType): boolean {
  return t === 'bytes' || t === 'ether' || t === 'protocol' || t === 'string';
}
export function canSlice(t: FieldType): boolean {
  return t === 'bytes' || t === 'ether' || t === 'protocol' || t === 'string' || t === 'ipv4' || t === 'ipv6';
}
export function canBitAnd(t: FieldType): boolean {
  return isIntegral(t) || t === 'bytes' || t === 'ether' || t === 'ipv4' || t === 'ipv6';
}
export function canAddSub(t: FieldType): boolean {
  return isIntegral(t) || t === 'float' || t === 'time_rel';
}
export function canMulDiv(t: FieldType): boolean {
  return isIntegral(t) || t === 'float';
}
export function canModulo(t: FieldType): boolean {
  return isIntegral(t);
}
export function canNegate(t: FieldType): boolean {
  return t === 'int' || t === 'uint' || t === 'framenum' || t === 'float' || t === 'time_rel';
}
/** string() accepts these field types */
export function canStringify(t: FieldType): boolean {
  return isIntegral(t) || t === 'float' || t === 'ipv4' || t === 'ipv6' || t === 'ether';
}
