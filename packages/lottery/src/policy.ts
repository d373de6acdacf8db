import { AppError, type FieldError } from '@g2g/domain';
import { MAX_AGE, SECTOR_NAME } from './pool.ts';

/** The administrative level quotas are apportioned over; `none` draws from the pool as a whole. */
export const STRATUM_LEVELS = ['none', 'division', 'district', 'upazila', 'union'] as const;
export type StratumLevel = (typeof STRATUM_LEVELS)[number];

/**
 * How the total is shared between strata: in proportion to the number of registrants, or to a
 * supplied population table (stratum id in decimal -> population, a positive integer for every
 * stratum that has registrants; rows for strata without registrants are ignored).
 */
export type QuotaPolicy =
  | { readonly level: StratumLevel; readonly basis: 'registrants' }
  | {
      readonly level: Exclude<StratumLevel, 'none'>;
      readonly basis: 'population';
      readonly population: Readonly<Record<string, number>>;
    };

/** A ranked waitlist of `length` entries per stratum, or per demand order. */
export type WaitlistPolicy =
  | { readonly per: 'none' }
  | { readonly per: 'stratum' | 'order'; readonly length: number };

/** An approved demand order: vacancies in one sector for workers of a gender and age range. */
export interface DemandOrder {
  readonly id: string;
  readonly sector: string;
  readonly vacancies: number;
  readonly gender: 'male' | 'female' | 'any';
  /** Inclusive bounds, in whole years on the window's reference date. */
  readonly minAge: number;
  readonly maxAge: number;
}

/**
 * Everything a draw needs besides the pool and the seed. All members are required, so that the
 * policy stored in a manifest says everything (no defaults to disagree about later).
 */
export interface DrawPolicy {
  /** How many entries to select; a pool smaller than this is selected entirely. */
  readonly total: number;
  readonly quota: QuotaPolicy;
  /** Orders to allocate the selected to, by random serial dictatorship; [] for none. */
  readonly orders: readonly DemandOrder[];
  readonly waitlist: WaitlistPolicy;
}

export const ORDER_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const POPULATION_KEY = /^[1-9]\d{0,7}$/;
const MAX_COUNT = 2 ** 32 - 1;

function isCount(value: unknown, max = MAX_COUNT): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/**
 * Checks a policy's shape and values and returns it typed. Throws `validation-failed` listing
 * every problem found, with JSON pointers under `/policy`.
 */
export function validatePolicy(input: unknown): DrawPolicy {
  const errors: FieldError[] = [];
  const fail = (pointer: string, detail: string) => errors.push({ pointer: `/policy${pointer}`, detail });
  const policy = input as DrawPolicy;
  if (typeof input !== 'object' || input === null) {
    fail('', 'expected an object');
  } else {
    if (!isCount(policy.total)) fail('/total', 'expected a non-negative integer');
    checkQuota(policy.quota, fail);
    checkOrders(policy.orders, fail);
    const waitlist = policy.waitlist as WaitlistPolicy | undefined;
    if (typeof waitlist !== 'object' || waitlist === null) {
      fail('/waitlist', 'expected an object');
    } else if (waitlist.per === 'stratum' || waitlist.per === 'order') {
      if (!isCount(waitlist.length)) fail('/waitlist/length', 'expected a non-negative integer');
      if (waitlist.per === 'order' && Array.isArray(policy.orders) && policy.orders.length === 0) {
        fail('/waitlist/per', 'a waitlist per order needs at least one order');
      }
    } else if (waitlist.per !== 'none') {
      fail('/waitlist/per', 'expected none, stratum or order');
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation-failed', `Invalid draw policy: ${errors[0]!.detail}`, { errors });
  }
  return policy;
}

function checkQuota(quota: unknown, fail: (pointer: string, detail: string) => void): void {
  if (typeof quota !== 'object' || quota === null) {
    fail('/quota', 'expected an object');
    return;
  }
  const q = quota as QuotaPolicy;
  if (!(STRATUM_LEVELS as readonly unknown[]).includes(q.level)) {
    fail('/quota/level', `expected one of ${STRATUM_LEVELS.join(', ')}`);
  }
  if (q.basis === 'population') {
    if ((q.level as StratumLevel) === 'none')
      fail('/quota/basis', 'a population basis needs a stratum level');
    const table = q.population as unknown;
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      fail('/quota/population', 'expected an object mapping stratum ids to populations');
      return;
    }
    for (const [key, value] of Object.entries(table)) {
      if (!POPULATION_KEY.test(key)) fail(`/quota/population/${key}`, 'keys are decimal stratum ids');
      if (!Number.isSafeInteger(value) || (value as number) < 1) {
        fail(`/quota/population/${key}`, 'expected a positive integer');
      }
    }
  } else if (q.basis !== 'registrants') {
    fail('/quota/basis', 'expected registrants or population');
  }
}

function checkOrders(orders: unknown, fail: (pointer: string, detail: string) => void): void {
  if (!Array.isArray(orders)) {
    fail('/orders', 'expected an array (empty for no allocation)');
    return;
  }
  const ids = new Set<string>();
  orders.forEach((order: DemandOrder, i) => {
    const at = `/orders/${i}`;
    if (typeof order !== 'object' || order === null) {
      fail(at, 'expected an object');
      return;
    }
    if (typeof order.id !== 'string' || !ORDER_ID.test(order.id)) {
      fail(`${at}/id`, 'ids are 1-64 characters from A-Z a-z 0-9 . _ : -');
    } else if (ids.has(order.id)) {
      fail(`${at}/id`, `order id ${order.id} is repeated`);
    }
    ids.add(order.id);
    if (typeof order.sector !== 'string' || !SECTOR_NAME.test(order.sector))
      fail(`${at}/sector`, 'malformed sector');
    if (!isCount(order.vacancies)) fail(`${at}/vacancies`, 'expected a non-negative integer');
    if (!['male', 'female', 'any'].includes(order.gender))
      fail(`${at}/gender`, 'expected male, female or any');
    if (!isCount(order.minAge, MAX_AGE)) fail(`${at}/minAge`, `expected an integer 0..${MAX_AGE}`);
    if (!isCount(order.maxAge, MAX_AGE)) fail(`${at}/maxAge`, `expected an integer 0..${MAX_AGE}`);
    if (order.minAge > order.maxAge) fail(`${at}/maxAge`, 'maxAge is below minAge');
  });
}

/** Whether a worker of this gender and age may fill the order (the sector is checked separately). */
export function fitsOrder(order: DemandOrder, gender: string, age: number): boolean {
  return (order.gender === 'any' || order.gender === gender) && age >= order.minAge && age <= order.maxAge;
}

/** UTF-16 code unit order, as canonical JSON sorts keys (byte order for the ASCII ids used here). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
