import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-reference-geography.ts';
import * as m0003 from './0003-schemes.ts';
import * as m0010 from './0010-registration-windows.ts';
import * as m0011 from './0011-registrations.ts';
import * as m0012 from './0012-outbox.ts';
import * as m0013 from './0013-status-check-throttle.ts';
import * as m0020 from './0020-employer-demand.ts';
import * as m0030 from './0030-draws.ts';
import * as m0031 from './0031-registration-status-hot.ts';
import * as m0032 from './0032-draw-file-compression.ts';
import * as m0040 from './0040-fee-ledger.ts';

/**
 * Every migration, listed explicitly (bundling must not lose one), in the order they apply.
 * Forward-only: a released migration is never edited; a change is a new numbered file.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-reference-geography': m0002,
  '0003-schemes': m0003,
  '0010-registration-windows': m0010,
  '0011-registrations': m0011,
  '0012-outbox': m0012,
  '0013-status-check-throttle': m0013,
  '0020-employer-demand': m0020,
  '0030-draws': m0030,
  '0031-registration-status-hot': m0031,
  '0032-draw-file-compression': m0032,
  '0040-fee-ledger': m0040,
};
