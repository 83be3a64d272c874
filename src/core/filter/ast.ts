// Syntax tree produced by the parser (before names are resolved and literals typed).
import type { CmpOp } from './lexer';

export interface Span {
  start: number;
  end: number;
}

/** One part of a slice or layer range: [start, end) in Wireshark's drange terms. */
export type RangeNode =
  /** [i:j] — j bytes from i; [i] is [i:1]; [:j] is [0:j] */
  | { kind: 'len'; start: number; len: number }
  /** [i-j] — i to j inclusive */
  | { kind: 'end'; start: number; end: number }
  /** [i:] — from i to the end */
  | { kind: 'toend'; start: number };

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

export type Entity =
  | (Span & { k: 'unparsed'; text: string })
  | (Span & { k: 'field'; name: string; explicit: boolean; layers?: RangeNode[] })
  | (Span & { k: 'literal'; text: string; raw: string })
  | (Span & { k: 'string'; bytes: Uint8Array; raw: string })
  | (Span & { k: 'charconst'; value: number; raw: string })
  | (Span & { k: 'slice'; of: Entity; ranges: RangeNode[]; rangeText: string })
  | (Span & { k: 'func'; name: string; nameEnd: number; args: Arith[] })
  | (Span & { k: 'ref'; name: string });

export type Arith =
  | Entity
  | (Span & { k: 'arith'; op: ArithOp; a: Arith; b: Arith; opText: string; opStart: number })
  | (Span & { k: 'neg'; a: Entity; plus: boolean })
  | (Span & { k: 'group'; a: Arith });

export interface SetElem {
  low: Arith;
  high?: Arith;
}

export type Quant = 'any' | 'all' | undefined;

export type Test =
  | (Span & { k: 'and' | 'or'; a: Test; b: Test })
  | (Span & { k: 'not'; a: Test })
  | (Span & { k: 'cmp'; op: CmpOp; opText: string; a: Arith; b: Arith; quant: Quant })
  | (Span & { k: 'contains' | 'matches'; opText: string; a: Entity; b: Entity; quant: Quant })
  | (Span & { k: 'in'; a: Entity; set: SetElem[]; quant: Quant })
  /** a bare entity or arithmetic expression used as a test */
  | (Span & { k: 'bare'; a: Arith });
