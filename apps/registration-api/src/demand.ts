import { type Database, demandSummary, findWindow, type Kysely } from '@g2g/db';

/**
 * Where `GET /v1/stats` reads approved employer demand from, to show registrants against approved
 * vacancies per sector (the real odds). Tests may pass another source in the app's deps.
 */
export interface ApprovedDemandSource {
  /** Approved workers per sector for the window's scheme (all schemes without a window); undefined
   * while no approved demand exists. */
  approvedVacanciesBySector(
    db: Kysely<Database>,
    query: { readonly windowId: string | undefined },
  ): Promise<ReadonlyMap<string, number> | undefined>;
}

/** Approved demand orders of employers in good standing (the employer-demand API's own summary). */
export const approvedDemandOrders: ApprovedDemandSource = {
  approvedVacanciesBySector: async (db, { windowId }) => {
    const window = windowId === undefined ? undefined : await findWindow(db, windowId);
    if (windowId !== undefined && !window) return undefined;
    const rows = await demandSummary(db, window ? { schemeId: window.schemeId } : {});
    if (rows.length === 0) return undefined;
    const bySector = new Map<string, number>();
    for (const row of rows) bySector.set(row.sector, (bySector.get(row.sector) ?? 0) + row.workersApproved);
    return bySector;
  },
};
