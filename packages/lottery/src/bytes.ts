import { createHash } from 'node:crypto';

/**
 * Byte-level writing of the engine's line formats, so that the lines of a 20-million-entry pool are
 * hashed or saved without building 20 million strings. Every format is ASCII, so bytes and
 * characters coincide. Most of a line is copied from small tables of ready-made fragments, four
 * bytes at a time; a copy may spill up to three bytes past its fragment, which the next write (or
 * the end of the chunk) covers, so each line buffer keeps MAX_LINE_BYTES of slack.
 */

/** Receives consecutive pieces of a serialisation. A chunk is only valid during the call. */
export type ChunkSink = (chunk: Uint8Array) => void;

export const TAB = 0x09;
const ZERO = 0x30;

/** No line of any format is longer than this (a pool line with 16 sectors of 64 characters is ~1.1 kB). */
const MAX_LINE_BYTES = 2048;

/**
 * The buffer lines are written into (small for a few lines, 1 MiB for files), handed to the sink
 * whenever a line might not fit. Writers keep the position in a local variable: every line of the
 * pool and result files starts with `pos = out.startLine(pos, registrationNumber)`, and
 * `out.end(pos)` follows the last.
 */
export class LineBuffer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #limit: number;
  readonly #sink: ChunkSink;

  constructor(rows: number, sink: ChunkSink) {
    this.bytes = new Uint8Array(rows > 1000 ? 1 << 20 : 4 * MAX_LINE_BYTES);
    this.view = new DataView(this.bytes.buffer);
    this.#limit = this.bytes.length - MAX_LINE_BYTES;
    this.#sink = sink;
  }

  /** Starts a line with the registration number and a TAB (first handing a full buffer to the sink). */
  startLine(pos: number, registrationNumber: number): number {
    let at = pos;
    if (at > this.#limit) {
      this.#sink(this.bytes.subarray(0, at));
      at = 0;
    }
    at = putRegistration(this.view, at, registrationNumber);
    this.view.setUint8(at, TAB);
    return at + 1;
  }

  /** Hands the rest to the sink. */
  end(pos: number): void {
    if (pos > 0) this.#sink(this.bytes.subarray(0, pos));
  }
}

/**
 * Small pieces of ASCII text, indexed by number, laid out as little-endian 32-bit words in one flat
 * array (few objects, so the hot loops stay in cache). Missing indices hold the empty text.
 */
export class FragmentTable {
  readonly words: Uint32Array;
  /** Fragment k occupies words[start[k] .. start[k + 1]). */
  readonly start: Uint32Array;
  readonly length: Uint32Array;

  constructor(texts: readonly (string | undefined)[]) {
    this.start = new Uint32Array(texts.length + 1);
    this.length = new Uint32Array(texts.length);
    for (let k = 0; k < texts.length; k++) {
      const text = texts[k] ?? '';
      this.length[k] = text.length;
      this.start[k + 1] = this.start[k]! + Math.ceil(text.length / 4);
    }
    const bytes = new Uint8Array(4 * this.start[texts.length]!);
    for (let k = 0; k < texts.length; k++) {
      const text = texts[k] ?? '';
      for (let c = 0; c < text.length; c++) bytes[4 * this.start[k]! + c] = text.charCodeAt(c);
    }
    const view = new DataView(bytes.buffer);
    this.words = new Uint32Array(bytes.length / 4);
    for (let w = 0; w < this.words.length; w++) this.words[w] = view.getUint32(4 * w, true);
  }
}

/** Writes fragment k of a table, four bytes at a time (may spill up to three bytes, see above). */
export function putFragment(view: DataView, pos: number, table: FragmentTable, k: number): number {
  const words = table.words;
  const from = table.start[k]!;
  const to = table.start[k + 1]!;
  for (let w = from; w < to; w++) view.setUint32(pos + 4 * (w - from), words[w]!, true);
  return pos + table.length[k]!;
}

/** "00" .. "99" as little-endian 16-bit pairs. */
const PAIRS = new Uint16Array(100);
for (let k = 0; k < 100; k++) PAIRS[k] = (ZERO + Math.floor(k / 10)) | ((ZERO + (k % 10)) << 8);

/** A registration number (0 <= value < 10^11) as exactly 11 digits. */
function putRegistration(view: DataView, pos: number, value: number): number {
  // Int32 operands (`| 0`) let the compiler turn division by a constant into a multiplication.
  const high = Math.floor(value / 1_000_000) | 0;
  const low = (value - high * 1_000_000) | 0;
  const h1 = (high / 10_000) | 0;
  const h2 = (high - h1 * 10_000) | 0;
  const h3 = (h2 / 100) | 0;
  const l1 = (low / 10_000) | 0;
  const l2 = (low - l1 * 10_000) | 0;
  const l3 = (l2 / 100) | 0;
  view.setUint8(pos, ZERO + h1);
  view.setUint16(pos + 1, PAIRS[h3]!, true);
  view.setUint16(pos + 3, PAIRS[h2 - h3 * 100]!, true);
  view.setUint16(pos + 5, PAIRS[l1]!, true);
  view.setUint16(pos + 7, PAIRS[l3]!, true);
  view.setUint16(pos + 9, PAIRS[l2 - l3 * 100]!, true);
  return pos + 11;
}

/** A non-negative integer below 2^31 in decimal, without leading zeros. */
export function putUint(view: DataView, pos: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = (v / 10) | 0) digits++;
  let at = pos + digits;
  let v = value;
  do {
    const q = (v / 10) | 0;
    view.setUint8(--at, ZERO + v - q * 10);
    v = q;
  } while (v > 0);
  return pos + digits;
}

/** Collects a serialisation and returns its lines (without their newline). For small outputs. */
export function collectLines(write: (sink: ChunkSink) => void): string[] {
  let text = '';
  write((chunk) => {
    text += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('latin1');
  });
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** SHA-256 (lowercase hex) of everything a serialisation writes. */
export function sha256OfChunks(write: (sink: ChunkSink) => void): string {
  const hash = createHash('sha256');
  write((chunk) => hash.update(chunk));
  return hash.digest('hex');
}
