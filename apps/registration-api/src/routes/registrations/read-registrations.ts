import { allow } from '@g2g/auth';
import {
  getCentreRegistration,
  listCentreRegistrations,
  type Registration,
  type StoredWindow,
} from '@g2g/db';
import { AppError } from '@g2g/domain';
import {
  type ApiApp,
  type AppEnv,
  decodeCursor,
  defineRoute,
  encodeCursor,
  jsonContent,
  problemResponses,
} from '@g2g/http';
import { parseRegistrationNumber, registrationNumberProblem } from '@g2g/registration';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { operatorCentre, type RegistrationState } from '../../deps.ts';
import { receiptHtml, receiptText } from '../../receipt.ts';
import { type RegistrationView, registrationView } from '../../views.ts';
import {
  listRegistrationsQuery,
  registrationNumberParam,
  registrationPageSchema,
  registrationSchema,
} from './schema.ts';

export const listRegistrationsRoute = defineRoute({
  method: 'get',
  path: '/v1/registrations',
  tags: ['Registrations'],
  summary: "List the centre's registrations",
  description:
    "The operator's own centre's registrations, newest first: filter by window, status and Dhaka dates; search by registration number or part of a name; page with `cursor`.",
  access: allow('centre_operator'),
  request: { query: listRegistrationsQuery },
  responses: {
    200: jsonContent(registrationPageSchema, 'A page of registrations.'),
    ...problemResponses(401, 403),
  },
});

export const getRegistrationRoute = defineRoute({
  method: 'get',
  path: '/v1/registrations/{registrationNumber}',
  tags: ['Registrations'],
  summary: 'Read a registration',
  description:
    "One of the centre's registrations. Another centre's registration is 404, like one that does not exist.",
  access: allow('centre_operator'),
  request: { params: registrationNumberParam },
  responses: {
    200: jsonContent(registrationSchema, 'The registration.'),
    ...problemResponses(401, 403, 404),
  },
});

export const getReceiptRoute = defineRoute({
  method: 'get',
  path: '/v1/registrations/{registrationNumber}/receipt',
  tags: ['Registrations'],
  summary: 'Print the receipt',
  description:
    'The slip the worker takes home, in Bangla and English: printable HTML, or plain text with `Accept: text/plain`.',
  access: allow('centre_operator'),
  request: { params: registrationNumberParam },
  responses: {
    200: {
      description: 'The receipt.',
      content: { 'text/html': { schema: z.string() }, 'text/plain': { schema: z.string() } },
    },
    ...problemResponses(401, 403, 404),
  },
});

/** The registration number in a path, in any typed form; a malformed one cannot exist (404). */
export function pathNumber(raw: string): string {
  const parsed = parseRegistrationNumber(raw);
  if (!parsed.ok) {
    throw new AppError(
      'not-found',
      `There is no registration ${raw}: ${registrationNumberProblem(parsed.reason)}.`,
    );
  }
  return parsed.number;
}

/** Views for registrations, reading each window once. */
export async function viewsOf(
  state: RegistrationState,
  rows: readonly Registration[],
): Promise<RegistrationView[]> {
  const geo = await state.geography();
  const windows = new Map<string, StoredWindow>();
  for (const id of new Set(rows.map((r) => r.windowId))) {
    const w = await state.windows.get(id);
    if (w) windows.set(id, w);
  }
  return rows.map((r) => registrationView(r, windows.get(r.windowId)!, geo));
}

const cursorSchema = z.object({ at: z.iso.datetime(), n: z.string().regex(/^[0-9]{11}$/) });
const DHAKA = '+06:00';

export function registerReadRegistrations(app: ApiApp, state: RegistrationState): void {
  app.openapi(listRegistrationsRoute, async (c) => {
    const query = c.req.valid('query');
    const centre = await operatorCentre(c, state);
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, cursorSchema);
    const asNumber = query.q === undefined ? undefined : parseRegistrationNumber(query.q);
    const rows = await listCentreRegistrations(state.db, {
      centreUnionId: centre.unionId,
      windowId: query.window,
      status: query.status,
      from: query.from === undefined ? undefined : new Date(`${query.from}T00:00:00${DHAKA}`),
      to:
        query.to === undefined
          ? undefined
          : new Date(new Date(`${query.to}T00:00:00${DHAKA}`).getTime() + 86_400_000),
      number: asNumber?.ok ? asNumber.number : undefined,
      name: query.q !== undefined && !asNumber?.ok && !/^[0-9০-৯\s-]+$/.test(query.q) ? query.q : undefined,
      before: before && { registeredAt: new Date(before.at), registrationNumber: before.n },
      limit: query.limit + 1,
    });
    // A query of digits that is not a valid number matches nothing (rather than every name).
    const matches = query.q !== undefined && !asNumber?.ok && /^[0-9০-৯\s-]+$/.test(query.q) ? [] : rows;
    const page = matches.slice(0, query.limit);
    const last = page.at(-1);
    return c.json(
      {
        items: await viewsOf(state, page),
        nextCursor:
          matches.length > query.limit && last
            ? encodeCursor({ at: last.registeredAt.toISOString(), n: last.registrationNumber })
            : null,
      },
      200,
    );
  });

  // The operator's own registration named in the path, as a view (another centre's: 404).
  const ownView = async (c: Context<AppEnv>, raw: string) => {
    const centre = await operatorCentre(c, state);
    const r = await getCentreRegistration(state.db, pathNumber(raw), centre.unionId);
    const [view] = await viewsOf(state, [r]);
    return view!;
  };

  app.openapi(getRegistrationRoute, async (c) =>
    c.json(await ownView(c, c.req.valid('param').registrationNumber), 200),
  );

  app.openapi(getReceiptRoute, async (c) => {
    const view = await ownView(c, c.req.valid('param').registrationNumber);
    const accept = c.req.header('accept') ?? '';
    const wantsText = /text\/plain/.test(accept) && !/text\/html/.test(accept);
    c.header('cache-control', 'no-store');
    return wantsText
      ? c.body(receiptText(view), 200, { 'content-type': 'text/plain; charset=utf-8' })
      : c.body(receiptHtml(view), 200, { 'content-type': 'text/html; charset=utf-8' });
  });
}
