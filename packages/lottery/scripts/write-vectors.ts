/**
 * Writes docs/lottery-vectors/*.json: the inputs below and what the engine computes from them.
 *
 *   pnpm exec tsx packages/lottery/scripts/write-vectors.ts
 *
 * The vectors are the engine's contract. Regenerating them is only right when the algorithm version
 * in ALGORITHM_ID changes; otherwise src/vectors.test.ts must keep passing against the committed
 * files. Each vector was checked by hand (see docs/lottery-spec.md) and by the independent Python
 * reading in docs/lottery-vectors/check_vectors.py.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '@g2g/domain';
import { apportion } from '../src/apportion.ts';
import {
  ALGORITHM_ID,
  commitmentOf,
  type DrawPolicy,
  deriveSeed,
  entryAt,
  type Gender,
  nextPromotion,
  nextStagePool,
  type PoolEntry,
  poolFromEntries,
  poolHash,
  poolLines,
  resultHash,
  resultLines,
  resultRows,
  runDraw,
  type StageChanges,
  type Vacancy,
} from '../src/index.ts';
import { prngFor, shuffled, subSeed } from '../src/random.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'lottery-vectors');

/** Damm check digit (weakly totally anti-symmetric quasigroup of order 10). */
const DAMM = [
  '0317598642',
  '7092154863',
  '4206871359',
  '1750983426',
  '6123045978',
  '3674209581',
  '5869720134',
  '8945362017',
  '9438617205',
  '2581436790',
];
function registration(serial: number): string {
  const digits = String(serial).padStart(10, '0');
  let interim = 0;
  for (const d of digits) interim = Number(DAMM[interim]![Number(d)]);
  return `${digits}${interim}`;
}

/** A witness secret for the vectors: SHA-256 of a label (a real ceremony uses 32 random bytes). */
const secret = (label: string) => sha256Hex(label);
const witnesses = (drawId: string) =>
  ['witness-a', 'witness-b'].map((witnessId) => {
    const s = secret(`${drawId} ${witnessId}`);
    return { witnessId, secret: s, commitment: commitmentOf(s) };
  });

type Row = [serial: number, union: number, gender: Gender, age: number, sectors: string, day: number];
/** Geography of the vectors: union -> [upazila, district, division]. */
const PLACES: Record<number, [number, number, number]> = {
  101: [11, 1, 1],
  102: [11, 1, 1],
  103: [12, 1, 1],
  201: [21, 2, 1],
  202: [21, 2, 1],
  301: [31, 3, 2],
};
function entries(rows: Row[]): PoolEntry[] {
  return rows.map(([serial, union, gender, age, sectors, day]) => {
    const [upazila, district, division] = PLACES[union]!;
    return {
      registrationNumber: registration(serial),
      division,
      district,
      upazila,
      union,
      gender,
      age,
      sectors: sectors === '' ? [] : sectors.split(','),
      registeredOn: `2013-01-${String(day).padStart(2, '0')}`,
    };
  });
}

/** The strata (ascending id) in the order of the seeded permutation that breaks remainder ties. */
function tieOrder(seed: string, ids: number[]): number[] {
  return [...shuffled(ids.length, prngFor(subSeed(seed, 'apportionment')))].map((t) => ids[t]!);
}

interface StageInput {
  readonly drawId: string;
  readonly beacon: string | null;
  readonly policy: DrawPolicy;
  readonly pool: PoolEntry[] | ({ readonly fromStage: number } & StageChanges);
  readonly promotions?: { vacancy: Vacancy; unavailable: string[] }[];
}

function vector(name: string, description: string, stages: StageInput[]) {
  const results: ReturnType<typeof runDraw>[] = [];
  const written = stages.map((stage) => {
    const pool = Array.isArray(stage.pool)
      ? poolFromEntries(stage.pool)
      : nextStagePool(results[stage.pool.fromStage]!, stage.pool);
    const reveals = witnesses(stage.drawId);
    const hash = poolHash(pool);
    const seed = deriveSeed({ drawId: stage.drawId, poolHash: hash, reveals, beacon: stage.beacon });
    const result = runDraw(pool, stage.policy, seed);
    results.push(result);
    const rows = resultRows(result);
    const candidates = rows.map((row, i) => ({ row, entry: entryAt(pool, i) }));
    return {
      drawId: stage.drawId,
      ...(Array.isArray(stage.pool)
        ? { poolLines: poolLines(pool) }
        : {
            poolFrom: {
              stage: stage.pool.fromStage,
              withdrawn: stage.pool.withdrawn ?? [],
              promoted: stage.pool.promoted ?? [],
            },
          }),
      reveals,
      beacon: stage.beacon,
      policy: stage.policy,
      expected: {
        ...(Array.isArray(stage.pool) ? {} : { poolLines: poolLines(pool) }),
        poolHash: hash,
        seed,
        apportionmentTieOrder: tieOrder(
          seed,
          result.strata.map((s) => s.id),
        ),
        strata: result.strata,
        orders: result.orders,
        resultLines: resultLines(result),
        resultHash: resultHash(result),
        promotions: (stage.promotions ?? []).map(({ vacancy, unavailable }) => ({
          vacancy,
          unavailable,
          promoted: nextPromotion(stage.policy, vacancy, candidates, unavailable),
        })),
      },
    };
  });
  const file = { name, description, algorithm: ALGORITHM_ID, stages: written };
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify(file, null, 2)}\n`);
}

// 1. Union quotas in proportion to registrants, a waitlist per union, a promotion.
const unionPool = entries([
  [1001, 101, 'male', 24, 'construction', 9],
  [1002, 101, 'male', 31, 'plantation', 9],
  [1003, 102, 'female', 22, 'manufacturing', 9],
  [1004, 101, 'male', 40, 'construction,plantation', 10],
  [1005, 103, 'male', 19, 'plantation', 10],
  [1006, 102, 'male', 28, 'construction', 10],
  [1007, 101, 'other', 35, 'services', 11],
  [1008, 102, 'male', 45, 'agriculture', 11],
  [1009, 101, 'female', 26, 'services,manufacturing', 12],
  [1010, 103, 'male', 33, 'construction', 12],
  [1011, 102, 'female', 21, 'manufacturing', 13],
  [1012, 101, 'male', 29, 'plantation,construction', 13],
]);
vector(
  '01-union-quota',
  '12 registrations in unions 101 (6), 102 (4), 103 (2); 5 selected with union quotas in proportion to registrants; a waitlist of 1 per union; the next promotion for a dropout in union 101.',
  [
    {
      drawId: 'vector-01',
      beacon: null,
      policy: {
        total: 5,
        quota: { level: 'union', basis: 'registrants' },
        orders: [],
        waitlist: { per: 'stratum', length: 1 },
      },
      pool: unionPool,
      promotions: [
        { vacancy: { stratum: 101, orderId: null }, unavailable: [] },
        { vacancy: { stratum: 103, orderId: null }, unavailable: [] },
      ],
    },
  ],
);

// 2. District quotas from a population table; a district smaller than its share gives seats back.
const districtRows: Row[] = [];
let serial = 2000;
for (const [union, count] of [
  [301, 3],
  [101, 10],
  [201, 10],
] as const) {
  for (let k = 0; k < count; k++)
    districtRows.push([
      ++serial,
      union,
      k % 3 === 0 ? 'female' : 'male',
      20 + k,
      'construction',
      14 + (k % 4),
    ]);
}
vector(
  '02-district-population',
  'Districts 3 (3 registrants), 1 (10) and 2 (10) with populations 1000, 100 and 100 (district 9 has no registrants and is ignored); 8 selected by district quota. District 3 is capped at 3; the 5 seats left split 2.5/2.5, a remainder tie broken by the seed.',
  [
    {
      drawId: 'vector-02',
      beacon: 'beacon pulse 2013-01-20T10:00:00Z',
      policy: {
        total: 8,
        quota: {
          level: 'district',
          basis: 'population',
          population: { '1': 100, '2': 100, '3': 1000, '9': 5000 },
        },
        orders: [],
        waitlist: { per: 'none' },
      },
      pool: entries(districtRows),
    },
  ],
);

// 3. Allocation to three demand orders, waitlists per order.
const orderPool = entries([
  [3001, 101, 'male', 23, 'construction,plantation', 9],
  [3002, 101, 'female', 30, 'plantation', 9],
  [3003, 102, 'male', 44, 'construction', 9],
  [3004, 102, 'male', 36, 'plantation,construction', 10],
  [3005, 103, 'female', 27, 'construction,plantation', 10],
  [3006, 201, 'male', 19, 'construction', 10],
  [3007, 201, 'other', 25, 'plantation', 11],
  [3008, 202, 'male', 41, 'construction,services', 11],
  [3009, 202, 'male', 29, 'services,plantation', 11],
  [3010, 301, 'female', 33, 'plantation,construction', 12],
  [3011, 301, 'male', 22, 'construction', 12],
  [3012, 101, 'male', 38, 'plantation', 12],
  [3013, 102, 'female', 24, 'construction', 13],
  [3014, 103, 'male', 31, 'construction,plantation', 13],
  [3015, 201, 'male', 46, 'plantation', 13],
  [3016, 202, 'female', 20, 'plantation,services', 13],
]);
vector(
  '03-orders',
  '16 registrations, no strata, 8 selected and allocated in rank order to construction orders C-2 (3 men 18-40) and C-1 (2, any gender, 18-45; tried first, lower id) and plantation order P-1 (2, any gender, 18-35), with a waitlist of 2 per order; promotions into each order (C-2 has no waitlist: the workers who fit it were waitlisted for C-1, tried first).',
  [
    {
      drawId: 'vector-03',
      beacon: null,
      policy: {
        total: 8,
        quota: { level: 'none', basis: 'registrants' },
        orders: [
          { id: 'C-2', sector: 'construction', vacancies: 3, gender: 'male', minAge: 18, maxAge: 40 },
          { id: 'C-1', sector: 'construction', vacancies: 2, gender: 'any', minAge: 18, maxAge: 45 },
          { id: 'P-1', sector: 'plantation', vacancies: 2, gender: 'any', minAge: 18, maxAge: 35 },
        ],
        waitlist: { per: 'order', length: 2 },
      },
      pool: orderPool,
      promotions: [
        { vacancy: { stratum: 0, orderId: 'C-2' }, unavailable: [] },
        { vacancy: { stratum: 0, orderId: 'C-1' }, unavailable: [] },
        { vacancy: { stratum: 0, orderId: 'P-1' }, unavailable: [registration(3010)] },
      ],
    },
  ],
);

// 4. Two stages: a shortlist with union quotas, then a draw with orders among the shortlisted.
const stagePool = entries(
  Array.from(
    { length: 20 },
    (_, k): Row => [
      4001 + k,
      [101, 102, 201, 301][k % 4]!,
      k % 5 === 0 ? 'female' : 'male',
      20 + ((k * 7) % 25),
      ['construction', 'plantation,construction', 'construction,plantation', 'plantation'][k % 4]!,
      9 + (k % 6),
    ],
  ),
);
{
  // The stage-2 pool: stage 1's selected, less one withdrawal, plus one promotion.
  const shortlist: DrawPolicy = {
    total: 8,
    quota: { level: 'union', basis: 'registrants' },
    orders: [],
    waitlist: { per: 'stratum', length: 1 },
  };
  const pool = poolFromEntries(stagePool);
  const seed = deriveSeed({
    drawId: 'vector-04-shortlist',
    poolHash: poolHash(pool),
    reveals: witnesses('vector-04-shortlist'),
    beacon: null,
  });
  const rows = resultRows(runDraw(pool, shortlist, seed));
  const withdrawn = rows.find((r) => r.outcome === 'selected' && r.stratum === 101)!.registrationNumber;
  const promoted = rows.find((r) => r.outcome === 'waitlisted' && r.stratum === 101)!.registrationNumber;
  vector(
    '04-multi-stage',
    "Stage 1 shortlists 8 of 20 with union quotas and a waitlist of 1 per union; one shortlisted worker of union 101 withdraws and that union's waitlisted worker is promoted; stage 2 draws 4 of the resulting 8 without strata and allocates them to two orders.",
    [
      { drawId: 'vector-04-shortlist', beacon: null, policy: shortlist, pool: stagePool },
      {
        drawId: 'vector-04-final',
        beacon: null,
        policy: {
          total: 4,
          quota: { level: 'none', basis: 'registrants' },
          orders: [
            { id: 'MY-C', sector: 'construction', vacancies: 2, gender: 'male', minAge: 18, maxAge: 45 },
            { id: 'MY-P', sector: 'plantation', vacancies: 2, gender: 'any', minAge: 18, maxAge: 45 },
          ],
          waitlist: { per: 'none' },
        },
        pool: { fromStage: 0, withdrawn: [withdrawn], promoted: [promoted] },
      },
    ],
  );
}

// 0. Primitives: generator outputs, sub-seeds, shuffles, apportionment, commitments.
{
  const seeds = ['0'.repeat(64), sha256Hex('g2g'), 'f'.repeat(64)];
  const primitives = {
    name: '00-primitives',
    description:
      'Building blocks: the first outputs of xor4096 for three seeds (as unsigned 32-bit integers), sub-seeds, shuffles of 0..n-1, apportionments and commitments.',
    algorithm: ALGORITHM_ID,
    prng: seeds.map((seed) => {
      const next = prngFor(seed);
      return { seed, first: Array.from({ length: 8 }, () => next()) };
    }),
    subSeeds: ['apportionment', 'rank', 'reserve', 'stratum:union:101', 'stratum:none:0'].map((label) => ({
      seed: seeds[1]!,
      label,
      subSeed: subSeed(seeds[1]!, label),
    })),
    shuffles: [
      [10, 10],
      [10, 3],
      [1, 1],
      [52, 52],
    ].map(([n, steps]) => {
      return { seed: seeds[1]!, n, steps, prefix: [...shuffled(n!, prngFor(seeds[1]!), steps)] };
    }),
    apportionments: [
      { total: 5, strata: [6, 4, 2].map((n) => ({ weight: n, capacity: n })), tiePriority: [0, 1, 2] },
      {
        total: 8,
        strata: [
          { weight: 1000, capacity: 3 },
          { weight: 100, capacity: 10 },
          { weight: 100, capacity: 10 },
        ],
        tiePriority: [2, 0, 1],
      },
      {
        total: 10,
        strata: [
          { weight: 100, capacity: 2 },
          { weight: 1, capacity: 50 },
          { weight: 10, capacity: 5 },
        ],
        tiePriority: [0, 1, 2],
      },
      { total: 100, strata: [3, 1, 7].map((n) => ({ weight: n, capacity: n })), tiePriority: [0, 1, 2] },
    ].map((a) => ({ ...a, seats: apportion(a.total, a.strata, a.tiePriority) })),
    commitments: ['a'.repeat(64), secret('witness')].map((s) => ({ secret: s, commitment: commitmentOf(s) })),
  };
  writeFileSync(join(out, '00-primitives.json'), `${JSON.stringify(primitives, null, 2)}\n`);
}
console.log(`wrote vectors to ${out}`);
