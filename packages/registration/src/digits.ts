/**
 * Bangla (Bengali) digits ০-৯ (U+09E6-U+09EF) are accepted wherever a number or a date is typed, and
 * converted to ASCII before any validation. Nothing else is converted.
 */
const BANGLA_ZERO = 0x09e6;

export function toAsciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code >= BANGLA_ZERO && code <= BANGLA_ZERO + 9 ? String.fromCharCode(48 + code - BANGLA_ZERO) : ch;
  }
  return out;
}

/** ASCII digits 0-9 written as Bangla digits, for Bangla text on receipts and messages. */
export function toBanglaDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(BANGLA_ZERO + d.charCodeAt(0) - 48));
}

/** Removes the spaces and dashes people type inside long numbers ("0171-234 5678"). */
export function stripSeparators(text: string): string {
  return text.replace(/[\s\-‐‑–]/g, '');
}
