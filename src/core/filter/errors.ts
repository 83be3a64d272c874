// The error a filter compile fails with: tshark's message text and the span it points at.

export interface FilterError {
  /** tshark's first message line, without the "tshark: " prefix */
  message: string;
  /** 0-based offsets into the filter text; start === end === text.length when tshark shows no position */
  start: number;
  end: number;
}

/** Thrown inside the compiler; turned into a FilterError result at the API boundary. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** Marks an error tshark reports without a location: the API gives it the whole text's end. */
export const NO_POS = -1;

export function fail(message: string, start: number = NO_POS, end: number = NO_POS): never {
  throw new FilterSyntaxError(message, start, end);
}
