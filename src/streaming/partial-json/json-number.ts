/**
 * The JSON number grammar as a state machine, one character at a time:
 * `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
 *
 * A phase says where in a number the text so far ends. `NUMBER_ENDS` means the
 * character is not part of the number (the caller finishes the number if its
 * phase is complete); `NUMBER_INVALID` means the character breaks the number.
 */

export const NumberPhase = {
  /** after `-` */
  Sign: 0,
  /** after a leading `0` */
  Zero: 1,
  /** in the integer digits */
  Integer: 2,
  /** after `.` */
  Dot: 3,
  /** in the fraction digits */
  Fraction: 4,
  /** after `e` or `E` */
  ExponentMark: 5,
  /** after the exponent's sign */
  ExponentSign: 6,
  /** in the exponent digits */
  Exponent: 7,
} as const;

export type NumberPhase = (typeof NumberPhase)[keyof typeof NumberPhase];

export const NUMBER_ENDS = -1 as const;
export const NUMBER_INVALID = -2 as const;

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** Whether a character can start a JSON number. */
export function startsNumber(code: number): boolean {
  return code === MINUS || isDigit(code);
}

/** The phase after the first character of a number (which `startsNumber` accepted). */
export function firstNumberPhase(code: number): NumberPhase {
  if (code === MINUS) return NumberPhase.Sign;
  return code === ZERO ? NumberPhase.Zero : NumberPhase.Integer;
}

/** Whether a number that stops in this phase is a whole JSON number (`1`, `1.5`, `1e3`, not `1.` or `-`). */
export function isCompleteNumberPhase(phase: NumberPhase): boolean {
  return (
    phase === NumberPhase.Zero ||
    phase === NumberPhase.Integer ||
    phase === NumberPhase.Fraction ||
    phase === NumberPhase.Exponent
  );
}

/**
 * The phase after one more character, or `NUMBER_ENDS` / `NUMBER_INVALID`.
 *
 * @example
 * nextNumberPhase(NumberPhase.Integer, '5'.charCodeAt(0)); // NumberPhase.Integer
 * nextNumberPhase(NumberPhase.Integer, ','.charCodeAt(0)); // NUMBER_ENDS
 * nextNumberPhase(NumberPhase.Dot, ','.charCodeAt(0)); // NUMBER_INVALID
 */
export function nextNumberPhase(
  phase: NumberPhase,
  code: number,
): NumberPhase | typeof NUMBER_ENDS | typeof NUMBER_INVALID {
  const digit = isDigit(code);
  switch (phase) {
    case NumberPhase.Sign:
      if (!digit) return NUMBER_INVALID;
      return code === ZERO ? NumberPhase.Zero : NumberPhase.Integer;
    case NumberPhase.Zero:
      if (digit) return NUMBER_INVALID;
      return afterDigits(code, true);
    case NumberPhase.Integer:
      if (digit) return NumberPhase.Integer;
      return afterDigits(code, true);
    case NumberPhase.Dot:
      return digit ? NumberPhase.Fraction : NUMBER_INVALID;
    case NumberPhase.Fraction:
      if (digit) return NumberPhase.Fraction;
      return afterDigits(code, false);
    case NumberPhase.ExponentMark:
      if (digit) return NumberPhase.Exponent;
      return code === PLUS || code === MINUS ? NumberPhase.ExponentSign : NUMBER_INVALID;
    case NumberPhase.ExponentSign:
      return digit ? NumberPhase.Exponent : NUMBER_INVALID;
    case NumberPhase.Exponent:
      return digit ? NumberPhase.Exponent : endOrInvalid(code);
  }
}

function afterDigits(
  code: number,
  fractionAllowed: boolean,
): NumberPhase | typeof NUMBER_ENDS | typeof NUMBER_INVALID {
  if (code === DOT) return fractionAllowed ? NumberPhase.Dot : NUMBER_INVALID;
  if (code === LOWER_E || code === UPPER_E) return NumberPhase.ExponentMark;
  return endOrInvalid(code);
}

/** A number ends at any character that cannot continue it; `+`, `-` and letters glued to it are errors. */
function endOrInvalid(code: number): typeof NUMBER_ENDS | typeof NUMBER_INVALID {
  if (
    code === PLUS ||
    code === MINUS ||
    code === DOT ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  ) {
    return NUMBER_INVALID;
  }
  return NUMBER_ENDS;
}
