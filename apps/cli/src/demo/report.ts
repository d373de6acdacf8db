import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoState } from './context.ts';

/**
 * The report's charts, in order, with the step that fills each. A slot whose step has not run (or is
 * not built yet) is listed as pending instead of drawn.
 */
export const CHART_SLOTS = [
  { key: 'registrants-by-district', title: 'Registrants by district', filledBy: 'odds' },
  { key: 'odds-by-sector', title: 'Odds per sector', filledBy: 'odds' },
  { key: 'selections-by-district', title: 'Registrants and selections by district', filledBy: 'draw' },
  { key: 'cost-vs-cap', title: 'Worker cost against the fee cap', filledBy: 'fees' },
] as const;

export interface ReportMeta {
  readonly registrants: number;
  readonly seed: string;
  readonly database: string;
  readonly seconds: number;
  readonly startedAt: string;
}

/** The one-screen summary printed at the end. */
export function summaryLines(state: DemoState, meta: ReportMeta): string[] {
  const width = Math.max(...[...state.summary.keys()].map((k) => k.length), 10);
  return [
    `G2G demo: ${meta.registrants.toLocaleString('en')} registrants, seed ${meta.seed}, ${meta.database}, ${meta.seconds.toFixed(1)} s`,
    ...[...state.summary].map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    ...state.sections.filter((s) => s.pending).map((s) => `  pending: ${s.title}`),
  ];
}

/** Writes README.md, the SVG charts and summary.json into `dir`; returns the files written. */
export function writeReport(dir: string, state: DemoState, meta: ReportMeta): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const chart of state.charts.values()) {
    writeFileSync(join(dir, chart.file), chart.svg);
    files.push(chart.file);
  }
  const chartLines = CHART_SLOTS.map((slot) => {
    const chart = state.charts.get(slot.key);
    return chart
      ? `### ${chart.title}\n\n![${chart.title}](${chart.file})`
      : `### ${slot.title}\n\n*Pending: drawn by the \`${slot.filledBy}\` step, which did not run in this build.*`;
  });
  const markdown = [
    '# G2G scheme demo: January 2013, replayed',
    '',
    `Run ${meta.startedAt}: ${meta.registrants.toLocaleString('en')} registrants, seed \`${meta.seed}\`, ${meta.database}, ${meta.seconds.toFixed(1)} s. Everything below went through the three apps' public HTTP APIs (registration, employer, ministry) with tokens for each role; the synthetic people are generated from the seed.`,
    '',
    '## Summary',
    '',
    '| | |',
    '| --- | --- |',
    ...[...state.summary].map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...state.sections.flatMap((s) => [`## ${s.title}${s.pending ? ' (pending)' : ''}`, '', s.markdown, '']),
    '## Charts',
    '',
    ...chartLines.flatMap((l) => [l, '']),
  ].join('\n');
  writeFileSync(join(dir, 'README.md'), markdown);
  files.push('README.md');
  const summary = {
    meta,
    summary: Object.fromEntries(state.summary),
    registration: state.registration
      ? {
          planned: state.registration.planned,
          outcome: state.registration.outcome,
          batches: state.registration.batches,
          seconds: Math.round(state.registration.seconds * 10) / 10,
        }
      : null,
    demand: state.demand ?? null,
    stats: state.stats ?? null,
    draws: state.draws
      ? { shortlist: state.draws.shortlist, medical: state.draws.medical, byDistrict: state.draws.byDistrict }
      : null,
    promotions: state.promotions
      ? { drawId: state.promotions.drawId, records: state.promotions.records, fill: state.promotions.fill }
      : null,
    fees: state.fees
      ? {
          policyVersionId: state.fees.policyVersionId,
          capMinor: state.fees.capMinor,
          entries: state.fees.entries,
          workers: state.fees.workers,
          findings: state.fees.findings,
          declaration: state.fees.declaration,
          workerReport: state.fees.workerReport,
          distribution: state.fees.distribution,
          byPayee: state.fees.byPayee,
        }
      : null,
    pending: state.sections.filter((s) => s.pending).map((s) => s.stepId),
  };
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  files.push('summary.json');
  return files;
}
