// Growing the typed arrays the frame tables are made of (one copy of the arithmetic for every table).

type Typed = Uint8Array | Int8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `a` with room for `n` elements (n ≥ a.length). */
export function resized<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** `a` itself when index `i` fits, else a copy whose length doubles (from 1024) until it does. */
export function holding<T extends Typed>(a: T, i: number): T {
  if (i < a.length) return a;
  let len = a.length || 1024;
  while (len <= i) len *= 2;
  return resized(a, len);
}
