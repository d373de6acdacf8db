import { AppError } from '@g2g/domain';
import {
  type ChunkSink,
  collectLines,
  FragmentTable,
  LineBuffer,
  putFragment,
  putUint,
  sha256OfChunks,
  TAB,
} from './bytes.ts';
import { type DrawResult, NOT_SELECTED, OUTCOMES, type Outcome } from './draw.ts';
import { ORDER_ID } from './policy.ts';
import { formatRegistrationNumber, parseRegistrationNumber } from './pool.ts';

/**
 * The result file: one line per pool entry in canonical order, each ending in LF, six TAB-separated
 * fields: registration number, outcome, rank, stratum id, waitlist position, order id. Rank is empty
 * unless selected; waitlist position is empty unless waitlisted; the order id is the order allocated
 * (selected) or waited for (waitlisted per order), empty otherwise.
 */
export const RESULT_FIELDS = [
  'registrationNumber',
  'outcome',
  'rank',
  'stratum',
  'waitlistPosition',
  'order',
] as const;

export interface ResultRow {
  readonly registrationNumber: string;
  readonly outcome: Outcome;
  readonly rank: number | null;
  readonly stratum: number;
  readonly waitlistPosition: number | null;
  readonly order: string | null;
}

/** Writes the canonical bytes of a result (or of its rows `from .. to`), in chunks. */
export function writeResult(result: DrawResult, sink: ChunkSink, from = 0, to = result.pool.size): void {
  // Most lines are "<number>\tnot-selected\t\t<stratum>\t\t\n": one fragment per stratum after the number.
  const notSelectedTexts: string[] = [];
  for (const { id } of result.strata) notSelectedTexts[id] = `not-selected\t\t${id}\t\t\n`;
  const notSelected = new FragmentTable(notSelectedTexts);
  const outcomes = new FragmentTable(OUTCOMES.map((o) => `${o}\t`));
  // Order k's id and newline; index -1 + 1 = 0 is a bare newline for entries without an order.
  const orders = new FragmentTable(['\n', ...result.policy.orders.map((o) => `${o.id}\n`)]);
  const reg = result.pool.registrationNumber;
  const { outcome, rank, stratum, waitlistPosition, order } = result;
  const out = new LineBuffer(to - from, sink);
  const view = out.view;
  let pos = 0;
  for (let i = from; i < to; i++) {
    pos = out.startLine(pos, reg[i]!);
    if (outcome[i] === NOT_SELECTED) {
      pos = putFragment(view, pos, notSelected, stratum[i]!);
      continue;
    }
    pos = putFragment(view, pos, outcomes, outcome[i]!);
    if (rank[i]! > 0) pos = putUint(view, pos, rank[i]!);
    view.setUint8(pos++, TAB);
    pos = putUint(view, pos, stratum[i]!);
    view.setUint8(pos++, TAB);
    if (waitlistPosition[i]! > 0) pos = putUint(view, pos, waitlistPosition[i]!);
    view.setUint8(pos++, TAB);
    pos = putFragment(view, pos, orders, order[i]! + 1);
  }
  out.end(pos);
}

/** SHA-256 (lowercase hex) of the result file's bytes. */
export function resultHash(result: DrawResult): string {
  return sha256OfChunks((sink) => writeResult(result, sink));
}

/** The result file's lines, without newlines. For small pools. */
export function resultLines(result: DrawResult): string[] {
  return collectLines((sink) => writeResult(result, sink));
}

/** Entry i's result as an object. */
export function resultRowAt(result: DrawResult, i: number): ResultRow {
  const order = result.order[i]!;
  return {
    registrationNumber: formatRegistrationNumber(result.pool.registrationNumber[i]!),
    outcome: OUTCOMES[result.outcome[i]!]!,
    rank: result.rank[i]! > 0 ? result.rank[i]! : null,
    stratum: result.stratum[i]!,
    waitlistPosition: result.waitlistPosition[i]! > 0 ? result.waitlistPosition[i]! : null,
    order: order >= 0 ? result.policy.orders[order]!.id : null,
  };
}

/** Every entry's result as an object, in canonical order. For small pools. */
export function resultRows(result: DrawResult): ResultRow[] {
  return Array.from({ length: result.pool.size }, (_, i) => resultRowAt(result, i));
}

const POSITIVE = /^[1-9]\d{0,9}$/;
const STRATUM = /^(0|[1-9]\d{0,7})$/;

/** One result line as a row. Strict: anything `writeResult` would not produce is refused. */
export function parseResultLine(line: string, pointer = '/resultLines/0'): ResultRow {
  const refuse = (detail: string) =>
    new AppError('validation-failed', `Invalid result line: ${detail}`, { errors: [{ pointer, detail }] });
  const fields = line.split('\t');
  if (fields.length !== RESULT_FIELDS.length)
    throw refuse(`expected ${RESULT_FIELDS.length} TAB-separated fields`);
  const [registrationNumber, outcome, rank, stratum, waitlistPosition, order] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (parseRegistrationNumber(registrationNumber) === null) throw refuse('malformed registration number');
  if (!(OUTCOMES as readonly string[]).includes(outcome)) throw refuse('unknown outcome');
  if (!STRATUM.test(stratum)) throw refuse('malformed stratum id');
  if (outcome === 'selected' ? !POSITIVE.test(rank) : rank !== '') {
    throw refuse('a rank is given exactly for selected entries');
  }
  if (outcome === 'waitlisted' ? !POSITIVE.test(waitlistPosition) : waitlistPosition !== '') {
    throw refuse('a waitlist position is given exactly for waitlisted entries');
  }
  if (order !== '' && (outcome === 'not-selected' || !ORDER_ID.test(order)))
    throw refuse('malformed order id');
  return {
    registrationNumber,
    outcome: outcome as Outcome,
    rank: rank === '' ? null : Number(rank),
    stratum: Number(stratum),
    waitlistPosition: waitlistPosition === '' ? null : Number(waitlistPosition),
    order: order === '' ? null : order,
  };
}
