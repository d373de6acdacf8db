import { allow } from '@g2g/auth';
import { buildFeeReport, type FeeReportKind, listFeeFindings } from '@g2g/db';
import {
  findingSchema,
  findingView,
  localDateSchema,
  moneyView,
  registrationNumberSchema,
} from '@g2g/fee-routes';
import { costDistributionCsv, districtReportCsv, employerReportCsv, payeeReportCsv } from '@g2g/fees';
import { type ApiApp, type AppDeps, defineRoute, jsonContent, limitParam, problemResponses } from '@g2g/http';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { plain, schemeIdParam, schemeIdQuery } from './schema.ts';

export const listFindingsRoute = defineRoute({
  method: 'get',
  path: '/v1/fee-findings',
  tags: ['Fees'],
  summary: 'List findings',
  description:
    'Findings raised on the ledger, newest first: over cap, category limit exceeded, employer-only cost paid by the worker, payment to an unlicensed payee, worker report without a matching receipt. `open=true` for those still holding.',
  access: allow('ministry_officer', 'auditor'),
  request: {
    query: z.object({
      schemeId: schemeIdQuery,
      registrationNumber: registrationNumberSchema.optional(),
      open: z.enum(['true', 'false']).optional(),
      limit: limitParam(1000, 100),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(findingSchema) }), 'Findings.'),
    ...problemResponses(400, 401, 403),
  },
});

const reportQuery = z.object({
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .openapi({ description: 'json (default) or csv (RFC 4180).' }),
  asOf: localDateSchema.optional().openapi({ description: 'Report date (default today, UTC).' }),
});

const reports: Record<FeeReportKind, { summary: string; description: string }> = {
  'by-payee': {
    summary: 'Fee report by payee',
    description:
      'Per payee: workers served, total collected from workers (scheme currency), open findings on entries to it; the payee with the most findings first.',
  },
  'by-district': {
    summary: 'Fee report by district',
    description:
      "Per worker's home district: workers, paid by workers, within / near / over cap, open findings.",
  },
  'by-employer': {
    summary: 'Fee report by employer',
    description:
      "Per employer (the worker's most recent placement): workers, paid, cap status counts, open findings.",
  },
  distribution: {
    summary: 'Distribution of worker cost',
    description:
      'Median, 90th percentile (nearest rank) and maximum of what workers paid, against the cap and against the US$3,000-4,000 private-recruitment baseline (converted at the latest USD rate on the report date).',
  },
};

function reportRoute(kind: FeeReportKind) {
  return defineRoute({
    method: 'get',
    path: `/v1/fee-reports/{schemeId}/${kind}`,
    tags: ['Fees'],
    ...reports[kind],
    access: allow('ministry_officer', 'auditor'),
    request: { params: schemeIdParam, query: reportQuery },
    responses: {
      200: {
        description: 'The report (JSON, or CSV with format=csv).',
        content: {
          'application/json': {
            schema: z.object({ schemeId: z.string(), asOf: z.string(), report: z.unknown() }),
          },
          'text/csv': { schema: z.string() },
        },
      },
      ...problemResponses(400, 401, 403, 404, 422),
    },
  });
}

const money = (m: { amountMinor: bigint; currency: string }) =>
  moneyView(m as Parameters<typeof moneyView>[0]);

export function registerFeeFindingsAndReports(app: ApiApp, deps: AppDeps): void {
  app.openapi(listFindingsRoute, async (c) => {
    const q = c.req.valid('query');
    const items = await listFeeFindings(deps.db, {
      schemeId: q.schemeId,
      registrationNumber: q.registrationNumber,
      open: q.open === undefined ? undefined : q.open === 'true',
      limit: q.limit,
    });
    return c.json({ items: items.map((f) => findingView(f.finding, f.resolution)) }, 200);
  });
  for (const kind of Object.keys(reports) as FeeReportKind[]) {
    // biome-ignore lint/suspicious/noExplicitAny: one handler serves the four report routes
    app.openapi(reportRoute(kind), (async (c: Context<any>) => {
      const { schemeId } = c.req.valid('param' as never) as { schemeId: string };
      const q = c.req.valid('query' as never) as z.infer<typeof reportQuery>;
      const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
      const report = await buildFeeReport(deps.db, schemeId, kind, asOf);
      if (q.format === 'csv') {
        const csv =
          report.kind === 'by-payee'
            ? payeeReportCsv(report.rows)
            : report.kind === 'by-district'
              ? districtReportCsv(report.rows)
              : report.kind === 'by-employer'
                ? employerReportCsv(report.rows)
                : costDistributionCsv(report.distribution);
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', `attachment; filename="${schemeId}-${kind}-${asOf}.csv"`);
        return c.body(csv, 200);
      }
      const body =
        report.kind === 'distribution'
          ? plain(report.distribution)
          : report.rows.map((r) => {
              const p = plain(r) as Record<string, unknown>;
              if ('collectedFromWorkers' in r) p.collectedFromWorkers = money(r.collectedFromWorkers);
              if ('paidByWorkers' in r) p.paidByWorkers = money(r.paidByWorkers);
              return p;
            });
      return c.json({ schemeId, asOf, report: body }, 200);
    }) as never);
  }
}
