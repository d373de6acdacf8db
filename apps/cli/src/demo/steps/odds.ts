import { barChartSvg } from '../charts.ts';
import type { DemoStep } from '../context.ts';
import { check, need } from '../context.ts';

interface Stats {
  total: number;
  byDistrict: { id: number; name: string; count: number }[];
  bySector: { sector: string; count: number }[];
  demand: {
    available: boolean;
    bySector: { sector: string; registrants: number; approvedVacancies: number }[];
  };
}

interface DemandSummary {
  items: { sector: string; workersApproved: number }[];
  totals: { workersApproved: number };
}

const percent = (odds: number) => `${(odds * 100).toFixed(odds < 0.001 ? 3 : 2)}%`;

/** Registrants and the real odds, from the public statistics only (GET /v1/stats, /v1/demand-summary). */
export const publishOdds: DemoStep = {
  id: 'odds',
  title: 'Registrants and the real odds (public statistics)',
  async run(ctx) {
    const windowId = need(ctx.state.window, 'the window').id;
    const schemeId = need(ctx.state.schemeId, 'the scheme');
    const registered = need(ctx.state.registration, 'the registrations').registered.length;
    const stats = (await ctx.apis.registration.get<Stats>(`/v1/stats?window=${windowId}`)).body;
    const summary = (await ctx.apis.employer.get<DemandSummary>(`/v1/demand-summary?schemeId=${schemeId}`))
      .body;
    check(stats.total === registered, `GET /v1/stats counts ${stats.total}, ${registered} were registered`);
    const approved = need(ctx.state.demand, 'the demand').orders.reduce((s, o) => s + o.workersApproved, 0);
    check(summary.totals.workersApproved === approved, 'the demand summary shows every approved vacancy');
    check(stats.demand.available, 'the statistics show registrants against approved demand');

    const vacancies = new Map<string, number>();
    for (const i of summary.items)
      vacancies.set(i.sector, (vacancies.get(i.sector) ?? 0) + i.workersApproved);
    const odds = stats.bySector.map((s) => ({
      sector: s.sector,
      registrants: s.count,
      approvedVacancies: vacancies.get(s.sector) ?? 0,
    }));
    for (const o of odds) {
      const published = stats.demand.bySector.find((d) => d.sector === o.sector);
      check(
        published?.approvedVacancies === o.approvedVacancies,
        `stats and demand summary agree on ${o.sector}`,
      );
    }
    const byDistrict = [...stats.byDistrict].sort(
      (a, b) => b.count - a.count || a.name.localeCompare(b.name),
    );
    ctx.state.stats = { total: stats.total, byDistrict, odds };

    ctx.state.charts.set('registrants-by-district', {
      file: 'registrants-by-district.svg',
      title: 'Registrants by district',
      svg: barChartSvg({
        title: 'Registrants by district (permanent address)',
        subtitle: `${stats.total.toLocaleString('en')} registrants, window ${windowId}; GET /v1/stats`,
        bars: byDistrict.map((d) => ({ label: d.name, value: d.count })),
      }),
    });
    ctx.state.charts.set('odds-by-sector', {
      file: 'odds-by-sector.svg',
      title: 'Odds per sector',
      svg: barChartSvg({
        title: 'The real odds: approved vacancies per registrant wanting the sector',
        subtitle: 'A registrant naming several sectors counts in each; GET /v1/stats and /v1/demand-summary',
        bars: odds.map((o) => ({
          label: o.sector,
          value: o.registrants > 0 ? (o.approvedVacancies / o.registrants) * 100 : 0,
        })),
        valueLabel: (_v, bar) => {
          const o = odds.find((x) => x.sector === bar.label)!;
          if (o.approvedVacancies === 0) return 'no approved demand';
          const odd = o.approvedVacancies / o.registrants;
          return `${percent(odd)} (1 in ${Math.round(1 / odd).toLocaleString('en')})`;
        },
      }),
    });
    const overall = approved / Math.max(1, stats.total);
    ctx.state.summary.set('overall odds', `${percent(overall)} (1 in ${Math.round(1 / overall)})`);
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `The public statistics count **${stats.total.toLocaleString('en')}** registrants in the window (equal to the registrations acknowledged) and **${approved.toLocaleString('en')}** approved vacancies: overall odds ${percent(overall)}, about 1 in ${Math.round(1 / overall).toLocaleString('en')}. Top districts: ${byDistrict
          .slice(0, 5)
          .map((d) => `${d.name} ${d.count.toLocaleString('en')}`)
          .join(', ')}.`,
        '',
        '| Sector | Registrants naming it | Approved vacancies | Odds |',
        '| --- | --- | --- | --- |',
        ...odds.map(
          (o) =>
            `| ${o.sector} | ${o.registrants.toLocaleString('en')} | ${o.approvedVacancies.toLocaleString('en')} | ${o.approvedVacancies === 0 ? 'no approved demand' : `${percent(o.approvedVacancies / o.registrants)} (1 in ${Math.round(o.registrants / o.approvedVacancies).toLocaleString('en')})`} |`,
        ),
      ].join('\n'),
    });
  },
};
