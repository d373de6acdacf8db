import type { DemoStep } from '../context.ts';
import { need } from '../context.ts';

/** The scheme's sectors; the window offers all of them. */
export const SECTORS = ['plantation', 'construction', 'manufacturing', 'services'] as const;

/**
 * January 2013 was registered division by division, three days each, over nine days. The demo keeps
 * that shape (three groups of divisions, each with its own period) but, as the apps run on the real
 * clock, every group's period is open now and the groups close a few days apart; the 2013 dates are
 * recorded in the report beside the times actually used. The grouping of divisions is the demo's.
 */
const GROUP_DATES_2013 = [
  { opens: '2013-01-14', closes: '2013-01-16' },
  { opens: '2013-01-17', closes: '2013-01-19' },
  { opens: '2013-01-20', closes: '2013-01-22' },
] as const;

export const openWindow: DemoStep = {
  id: 'window',
  title: 'Scheme and registration window (ministry)',
  async run(ctx) {
    const centres = need(ctx.state.centres, 'the centre list');
    const officer = await ctx.token('ministry_officer', { sub: 'officer-demo' });
    const schemeId = `g2g-my-2013-${ctx.options.runId}`;
    await ctx.apis.ministry.post(
      '/v1/schemes',
      {
        id: schemeId,
        name: `G2G Malaysia 2013 (demo ${ctx.options.runId})`,
        destinationCountry: 'MY',
        rules: {
          sectors: [...SECTORS],
          minMonthlyWage: { amountMinor: 90_000, currency: 'MYR' },
          maxContractMonths: 36,
          minAge: 18,
          maxAge: 45,
        },
      },
      { token: officer, idempotencyKey: `scheme-${schemeId}` },
    );

    const divisions = [...new Map(centres.map((c) => [c.division.id, c.division.name])).entries()].sort(
      (a, b) => a[0] - b[0],
    );
    const now = Date.now();
    const hour = 3600_000;
    const groupOf = (index: number) => Math.min(2, Math.floor((index * 3) / divisions.length));
    const schedule = divisions.map(([divisionId], i) => {
      const g = groupOf(i);
      return {
        divisionId,
        opensAt: new Date(now - (3 - g) * hour).toISOString(),
        closesAt: new Date(now + (g + 1) * 3 * 24 * hour).toISOString(),
      };
    });
    const windowId = `g2g-my-2013-jan-${ctx.options.runId}`;
    await ctx.apis.ministry.post(
      '/v1/windows',
      {
        id: windowId,
        schemeId,
        name: 'January 2013 registration (replay)',
        sectors: [...SECTORS],
        divisionSchedule: schedule,
        eligibility: { minAge: 18, maxAge: 45, ageReferenceDate: null, genders: ['male', 'female'] },
        serviceCharge: { amountMinor: 5000, currency: 'BDT' },
      },
      { token: officer, idempotencyKey: `window-${windowId}` },
    );
    ctx.state.schemeId = schemeId;
    ctx.state.window = { id: windowId, schedule };
    ctx.log(`window ${windowId}: ${divisions.length} divisions in 3 groups`);

    const rows = divisions.map(([, name], i) => {
      const g = groupOf(i);
      const s = schedule[i]!;
      const dates = GROUP_DATES_2013[g]!;
      return `| ${g + 1} | ${name} | ${dates.opens} to ${dates.closes} | ${s.opensAt} to ${s.closesAt} |`;
    });
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `Scheme \`${schemeId}\` (sectors ${SECTORS.join(', ')}; minimum wage MYR 900 a month; contracts up to 36 months; ages 18-45) and window \`${windowId}\` (men and women aged 18-45 on the day of registration, Tk 50 service charge), created by a ministry officer through the ministry API.`,
        '',
        "In January 2013 registration ran division by division, three days each, nine days in all. The apps run on the real clock (they have no simulated one), so the demo keeps the shape (three groups of divisions, each with its own period, closing three days apart) with every period open now. The grouping of divisions below is the demo's, not the historical order.",
        '',
        '| Group | Division | Period modelled on 2013 | Period used (UTC) |',
        '| --- | --- | --- | --- |',
        ...rows,
      ].join('\n'),
    });
  },
};
