import type { Money } from '@g2g/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryInput, PostedEntry } from './entries.ts';
import { emptyLedger, type FeeLedgerEvent, fold, type LedgerState, post } from './ledger.ts';
import { assess, findingConditions, positionOf, type WorkerPosition } from './position.ts';
import {
  ctxFor,
  g2gPolicy,
  inputsOf,
  officer,
  payment,
  paymentSpecArb,
  rates,
  run,
  stepsArb,
} from './testing/fixtures.ts';

const ctx = ctxFor();
const posCtx = { policy: g2gPolicy, rates, monthlyContractWage: null, asOf: '2024-12-31' };
const position = (s: LedgerState) => positionOf(s, posCtx);
const sum = (xs: readonly Money[]) => xs.reduce((a, m) => a + m.amountMinor, 0n);
const postedOf = (events: readonly FeeLedgerEvent[]): PostedEntry[] =>
  events.flatMap((e) => (e.type === 'entry_posted' ? [e.entry] : []));
const openKeys = (p: WorkerPosition) => p.openFindings.map((f) => f.key);
const totals = (p: WorkerPosition) => ({
  paidByWorker: p.paidByWorker,
  receipted: p.receipted,
  reportedUnmatched: p.reportedUnmatched,
  byCategory: [...p.byCategory.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, v]) => [c, v.total]),
  matched: [...p.matchedReports.entries()].sort(),
  openKeys: openKeys(p),
});
const reverse = (id: string, reverses: string): EntryInput => ({
  kind: 'reversal',
  id,
  registrationNumber: 'W-1',
  reverses,
  reason: 'entered in error',
  recordedBy: officer,
});

describe('ledger properties', () => {
  it('totals equal the sum of postings (payments and reversals, converted once each)', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { state, events } = run(emptyLedger('W-1'), inputsOf(steps));
        const posted = postedOf(events);
        const p = position(state);
        const byWorker = posted.filter((e) => e.payer === 'worker');
        expect(p.receipted.amountMinor).toBe(
          sum(byWorker.filter((e) => e.source !== 'worker_report').map((e) => e.schemeAmount)),
        );
        // every worker report counts once: unmatched on its own, matched through its receipt
        const reports = sum(byWorker.filter((e) => e.source === 'worker_report').map((e) => e.schemeAmount));
        const matchedReports = [...p.matchedReports.keys()].map((id) => state.entries.get(id)!.schemeAmount);
        expect(p.reportedUnmatched.amountMinor).toBe(reports - sum(matchedReports));
        expect(p.paidByWorker.amountMinor).toBe(p.receipted.amountMinor + p.reportedUnmatched.amountMinor);
        expect(sum([...p.byCategory.values()].map((c) => c.total))).toBe(p.paidByWorker.amountMinor);
        expect(p.headroom?.amountMinor).toBe(p.cap!.amount.amountMinor - p.paidByWorker.amountMinor);
      }),
    );
  });

  it('a reversal restores exactly the totals and findings of a ledger without the payment', () => {
    fc.assert(
      fc.property(stepsArb, paymentSpecArb, fc.nat(), (steps, spec, k) => {
        const inputs = inputsOf(steps);
        const extra = payment({
          id: 'extra',
          ...spec,
          receiptRef: spec.source === 'official_receipt' ? 'R-x' : null,
        });
        // insert the payment anywhere, then reverse it at the end
        const at = k % (inputs.length + 1);
        const withIt = [...inputs.slice(0, at), extra, ...inputs.slice(at), reverse('undo', 'extra')];
        const a = run(emptyLedger('W-1'), withIt);
        const b = run(emptyLedger('W-1'), inputs);
        expect(totals(position(a.state))).toEqual(totals(position(b.state)));
        const [, rev] = postedOf(a.events).filter((e) => e.id === 'extra' || e.id === 'undo');
        const original = a.state.entries.get('extra')!;
        expect(rev!.schemeAmount.amountMinor).toBe(-original.schemeAmount.amountMinor);
        expect(rev!.amount.amountMinor).toBe(-original.amount.amountMinor);
      }),
    );
  });

  it('never passes the cap without an open over_cap finding, and findings always match the ledger', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        let state = emptyLedger('W-1');
        const raisedIds = new Set<string>();
        for (const input of inputsOf(steps)) {
          const events = post(state, input, ctx);
          for (const e of events) {
            if (e.type === 'finding_raised') {
              expect(state.findings.get(e.finding.key)?.open ?? null).toBeNull();
              expect(raisedIds.has(e.finding.id)).toBe(false);
              raisedIds.add(e.finding.id);
            }
            if (e.type === 'finding_resolved') {
              expect(state.findings.get(e.resolution.key)?.open?.id).toBe(e.resolution.findingId);
            }
          }
          state = fold(state, events);
          const p = position(state);
          const overCap = p.paidByWorker.amountMinor > p.cap!.amount.amountMinor;
          expect(p.status === 'over_cap').toBe(overCap);
          expect(openKeys(p).includes('over_cap')).toBe(overCap);
          expect(openKeys(p)).toEqual([...findingConditions(assess(state, g2gPolicy), ctx).keys()].sort());
        }
      }),
    );
  });

  it('does not depend on the order of postings', () => {
    fc.assert(
      fc.property(fc.array(paymentSpecArb, { maxLength: 15 }), fc.nat(), (specs, seed) => {
        const inputs = specs.map((s, i) =>
          payment({ id: `p${i}`, ...s, receiptRef: s.source === 'official_receipt' ? `R-${i}` : null }),
        );
        const shuffled = [...inputs].sort((a, b) => hash(a.id, seed) - hash(b.id, seed));
        expect(totals(position(run(emptyLedger('W-1'), shuffled).state))).toEqual(
          totals(position(run(emptyLedger('W-1'), inputs).state)),
        );
      }),
    );
  });
});

function hash(id: string, seed: number): number {
  let h = seed | 0;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1);
  return h;
}
