import { syntheticWorker } from '@g2g/registration/testing';
import { ApiError, inParallel } from '../client.ts';
import type { Centre, DemoStep, RegistrationTally } from '../context.ts';
import { check, need } from '../context.ts';
import { cumulativeOf, type Random } from '../random.ts';
import { SECTORS } from './open-window.ts';

/** Largest batch the registration API takes (POST /v1/registration-batches). */
const MAX_BATCH = 1000;
/** First choices, roughly: most wanted plantation work in 2013. */
const SECTOR_WEIGHTS = cumulativeOf([50, 25, 15, 10]);

type Item = Record<string, unknown> & { clientId: string };

interface Planned {
  readonly item: Item;
  readonly centre: Centre;
  readonly gender: string;
  readonly sectors: readonly string[];
}

const n = (x: number) => x.toLocaleString('en');

type InvalidKind = 'identity number' | 'too old' | 'unknown union' | 'mobile number';
const INVALID_KINDS: readonly InvalidKind[] = [
  'identity number',
  'too old',
  'unknown union',
  'mobile number',
];

/** How many of each kind a run of `n` valid registrants makes on purpose. */
export function registrationPlan(n: number) {
  const single = Math.max(n >= 30 ? 2 : 0, Math.round(n * 0.03));
  const duplicates = Math.max(4, Math.round(n * 0.01));
  const invalid = Math.max(INVALID_KINDS.length * 2, Math.round(n * 0.005));
  return {
    valid: n,
    batched: n - single,
    single,
    duplicates,
    duplicatesSingly: Math.max(2, Math.round(duplicates / 4)),
    invalid,
    invalidSingly: INVALID_KINDS.length,
  };
}

/** Registrants per district are uneven, as they were: a seeded weight per district. */
function districtWeights(centres: readonly Centre[], random: Random) {
  const districts = [...new Set(centres.map((c) => c.district.id))].sort((a, b) => a - b);
  const byDistrict = new Map<number, Centre[]>();
  for (const c of centres) byDistrict.set(c.district.id, [...(byDistrict.get(c.district.id) ?? []), c]);
  // A log-normal-ish weight (the product of three uniforms), so a few districts dominate.
  const weights = districts.map(() => (0.2 + random.next()) * (0.2 + random.next()) * (0.2 + random.next()));
  return { districts, byDistrict, cumulative: cumulativeOf(weights) };
}

/**
 * The registrants, compactly (a run may have 1.4 million): for each, the index of its centre and one
 * byte of traits (first sector, other sectors, gender). Requests are built from this when sent.
 */
interface Registrants {
  readonly centreOf: Uint16Array;
  readonly traits: Uint8Array;
}

const FEMALE = 0x40;

function drawTraits(random: Random): number {
  const first = random.weighted(SECTOR_WEIGHTS);
  let others = 0;
  let count = 1;
  SECTORS.forEach((_, s) => {
    if (s !== first && count < 3 && random.chance(0.25)) {
      others |= 1 << s;
      count++;
    }
  });
  return first | (others << 2) | (random.chance(0.12) ? FEMALE : 0);
}

const sectorLists = new Map<number, readonly string[]>();
function sectorsOf(traits: number): readonly string[] {
  const key = traits & 0x3f;
  let list = sectorLists.get(key);
  if (!list) {
    const first = key & 3;
    list = [SECTORS[first]!, ...SECTORS.filter((_, s) => s !== first && (key >> 2) & (1 << s))];
    sectorLists.set(key, list);
  }
  return list;
}

const birthYearFrom = new Date().getUTCFullYear() - 44;

function person(
  windowId: string,
  index: number,
  centre: Centre,
  traits: number,
  clientId = `w-${index}`,
): Planned {
  const base = syntheticWorker(index, { unionIds: [centre.unionId], birthYearFrom });
  const gender = traits & FEMALE ? 'female' : 'male';
  const sectors = sectorsOf(traits);
  return {
    item: { ...base, windowId, gender, preferredSectors: [...sectors], clientId },
    centre,
    gender,
    sectors,
  };
}

function invalidItem(planned: Planned, kind: InvalidKind, k: number): Item {
  const item = { ...planned.item, clientId: `bad-${k}` };
  switch (kind) {
    case 'identity number':
      return { ...item, identity: { kind: 'nid', number: '12345' } };
    case 'too old': {
      const core = (planned.item.identity as { number: string }).number.slice(4);
      return { ...item, dateOfBirth: '1950-06-15', identity: { kind: 'nid', number: `1950${core}` } };
    }
    case 'unknown union':
      return { ...item, permanentUnionCode: 'U9999' };
    case 'mobile number':
      return { ...item, mobile: '12345' };
    default: {
      const never: never = kind;
      throw new Error(`unknown invalid kind ${never}`);
    }
  }
}

interface BatchResult {
  counts: { created: number; duplicate: number; invalid: number; replayed: number };
  items: { clientId: string; outcome: 'created' | 'duplicate' | 'invalid'; registrationNumber?: string }[];
}

/**
 * Synthetic workers register at the real union centres, in the window just opened: most through
 * offline batch sync (each centre uploads its own registrations), some one at a time, and on purpose
 * some duplicates (the same person again, at the same or another centre) and some invalid records
 * (bad identity number, too old, unknown union, bad mobile). Every outcome is counted and must match
 * the plan exactly.
 */
export const registerWorkers: DemoStep = {
  id: 'registration',
  title: 'Registration at the union centres',
  async run(ctx) {
    const centres = need(ctx.state.centres, 'the centre list');
    const windowId = need(ctx.state.window, 'the window').id;
    const plan = registrationPlan(ctx.options.registrants);
    const { random } = ctx;
    const weights = districtWeights(centres, random);
    const pickCentre = () => {
      const district = weights.districts[random.weighted(weights.cumulative)]!;
      const list = weights.byDistrict.get(district)!;
      return list[random.int(list.length)]!;
    };
    const registrants: Registrants = {
      centreOf: new Uint16Array(plan.valid),
      traits: new Uint8Array(plan.valid),
    };
    const centreIndex = new Map(centres.map((c, i) => [c.code, i]));
    for (let i = 0; i < plan.valid; i++) {
      registrants.centreOf[i] = centreIndex.get(pickCentre().code)!;
      registrants.traits[i] = drawTraits(random);
    }
    const planned = (i: number) =>
      person(windowId, i, centres[registrants.centreOf[i]!]!, registrants.traits[i]!);
    // Singles are spread over the run; the rest go by batch, grouped by centre.
    const singleIdx = new Set<number>();
    while (singleIdx.size < plan.single) singleIdx.add(random.int(plan.valid));
    const byCentre = new Map<number, number[]>();
    for (let i = 0; i < plan.valid; i++) {
      if (singleIdx.has(i)) continue;
      const c = registrants.centreOf[i]!;
      let list = byCentre.get(c);
      if (!list) {
        list = [];
        byCentre.set(c, list);
      }
      list.push(i);
    }

    const tokens = new Map<string, Promise<string>>();
    const operator = (centre: string) => {
      let t = tokens.get(centre);
      if (!t) {
        t = ctx.token('centre_operator', { centre, sub: `operator-${centre}` });
        tokens.set(centre, t);
      }
      return t;
    };

    const outcome = {
      created: 0,
      duplicate: 0,
      invalid: 0,
      singleCreated: 0,
      singleDuplicate: 0,
      singleRefused: 0,
    };
    const registered: RegistrationTally['registered'][number][] = [];
    const total = plan.valid + plan.duplicates + plan.invalid;
    const bar = ctx.progress('registering workers', total);
    const started = performance.now();
    let batches = 0;

    const sendBatch = async (centre: string, items: readonly Item[]) => {
      const res = await ctx.apis.registration.post<BatchResult>(
        '/v1/registration-batches',
        { items },
        { token: await operator(centre), retry: true },
      );
      batches++;
      for (const r of res.body.items) {
        if (r.outcome === 'created') {
          outcome.created++;
          const index = r.clientId.startsWith('w-') ? Number(r.clientId.slice(2)) : -1;
          if (index >= 0) {
            const p = planned(index);
            registered.push({
              registrationNumber: r.registrationNumber!,
              dateOfBirth: String(p.item.dateOfBirth),
              centre,
              gender: p.gender,
              sectors: p.sectors,
            });
          }
        } else if (r.outcome === 'duplicate') outcome.duplicate++;
        else outcome.invalid++;
      }
      bar.advance(items.length);
    };
    const sendSingle = async (p: Planned, item: Item) => {
      const { clientId: _, ...body } = item;
      try {
        const res = await ctx.apis.registration.post<{ registrationNumber: string }>(
          '/v1/registrations',
          body,
          {
            token: await operator(p.centre.code),
            idempotencyKey: `demo-${ctx.options.runId}-${item.clientId}`,
          },
        );
        outcome.singleCreated++;
        registered.push({
          registrationNumber: res.body.registrationNumber,
          dateOfBirth: String(item.dateOfBirth),
          centre: p.centre.code,
          gender: p.gender,
          sectors: p.sectors,
        });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 409) outcome.singleDuplicate++;
        else if (err.status === 400 || err.status === 422) outcome.singleRefused++;
        else throw err;
      }
      bar.advance();
    };

    // Phase 1: every valid registrant once: the centres' batches, and the singles among them.
    type Job = { kind: 'batch'; centre: number; indexes: number[] } | { kind: 'single'; index: number };
    const jobs: Job[] = [];
    for (const [centre, list] of byCentre) {
      for (let i = 0; i < list.length; i += MAX_BATCH) {
        jobs.push({ kind: 'batch', centre, indexes: list.slice(i, i + MAX_BATCH) });
      }
    }
    const singles = [...singleIdx];
    // Interleave the singles among the batches, as they would arrive.
    const every = Math.max(1, Math.floor(jobs.length / Math.max(1, singles.length)));
    singles.forEach((index, k) => {
      jobs.splice(Math.min(jobs.length, k * (every + 1)), 0, { kind: 'single', index });
    });
    await inParallel(jobs, ctx.options.concurrency, async (job) => {
      if (job.kind === 'batch') {
        await sendBatch(
          centres[job.centre]!.code,
          job.indexes.map((i) => planned(i).item),
        );
      } else {
        const p = planned(job.index);
        await sendSingle(p, p.item);
      }
    });

    // Phase 2: the same people again (duplicates) and records that must be refused (invalid).
    const again: { centre: Centre; item: Item; single: boolean }[] = [];
    for (let k = 0; k < plan.duplicates; k++) {
      const p = planned(random.int(plan.valid));
      const elsewhere = random.chance(0.5) ? pickCentre() : p.centre;
      again.push({
        centre: elsewhere,
        item: { ...p.item, clientId: `dup-${k}`, permanentUnionCode: p.item.permanentUnionCode },
        single: k < plan.duplicatesSingly,
      });
    }
    for (let k = 0; k < plan.invalid; k++) {
      // A person never registered (an index past the valid ones), so that the record is refused for
      // what is wrong with it and not as a duplicate.
      const p = person(windowId, plan.valid + k, pickCentre(), drawTraits(random));
      const kind = INVALID_KINDS[k % INVALID_KINDS.length]!;
      again.push({ centre: p.centre, item: invalidItem(p, kind, k), single: k < plan.invalidSingly });
    }
    const phase2 = new Map<string, Item[]>();
    for (const a of again.filter((x) => !x.single)) {
      phase2.set(a.centre.code, [...(phase2.get(a.centre.code) ?? []), a.item]);
    }
    await inParallel([...phase2], ctx.options.concurrency, ([centre, items]) => sendBatch(centre, items));
    await inParallel(
      again.filter((x) => x.single),
      ctx.options.concurrency,
      (a) => sendSingle({ item: a.item, centre: a.centre, gender: '', sectors: [] }, a.item),
    );
    const seconds = (performance.now() - started) / 1000;
    bar.done(`${batches.toLocaleString('en')} batches, ${(plan.valid / seconds).toFixed(0)} registrations/s`);

    const batchDuplicates = plan.duplicates - plan.duplicatesSingly;
    const batchInvalid = plan.invalid - plan.invalidSingly;
    check(outcome.created === plan.batched, `batch created ${outcome.created}, planned ${plan.batched}`);
    check(
      outcome.duplicate === batchDuplicates,
      `batch duplicates ${outcome.duplicate} != ${batchDuplicates}`,
    );
    check(outcome.invalid === batchInvalid, `batch invalid ${outcome.invalid} != ${batchInvalid}`);
    check(outcome.singleCreated === plan.single, `single created ${outcome.singleCreated} != ${plan.single}`);
    check(outcome.singleDuplicate === plan.duplicatesSingly, 'every single duplicate is a 409');
    check(outcome.singleRefused === plan.invalidSingly, 'every single invalid record is a 400/422');

    ctx.state.registration = {
      planned: {
        valid: plan.valid,
        batched: plan.batched,
        single: plan.single,
        duplicates: plan.duplicates,
        invalid: plan.invalid,
      },
      outcome,
      batches,
      seconds,
      registered,
    };
    ctx.state.summary.set('registered', registered.length.toLocaleString('en'));
    ctx.state.summary.set('duplicates refused', String(outcome.duplicate + outcome.singleDuplicate));
    ctx.state.summary.set('invalid refused', String(outcome.invalid + outcome.singleRefused));
    const centresUsed = new Set(registrants.centreOf).size;
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        `${plan.valid.toLocaleString('en')} synthetic workers registered at ${centresUsed.toLocaleString('en')} centres in ${seconds.toFixed(1)} s (${(plan.valid / seconds).toFixed(0)} a second): ${plan.batched.toLocaleString('en')} through offline batch sync (${batches.toLocaleString('en')} batches, each centre uploading its own) and ${n(plan.single)} one at a time. Registrants per district are deliberately uneven (a seeded weight per district); 12% are women; each names one to three sectors.`,
        '',
        'On purpose, the same people again and records that must be refused:',
        '',
        '| Sent | Planned | Answered |',
        '| --- | --- | --- |',
        `| valid, by batch | ${n(plan.batched)} | created ${n(outcome.created)} |`,
        `| valid, singly | ${n(plan.single)} | 201 created ${n(outcome.singleCreated)} |`,
        `| duplicates, by batch (same person, same or another centre) | ${batchDuplicates} | duplicate ${outcome.duplicate} |`,
        `| duplicates, singly | ${plan.duplicatesSingly} | 409 ${outcome.singleDuplicate} |`,
        `| invalid, by batch (${INVALID_KINDS.join(', ')}) | ${batchInvalid} | invalid ${outcome.invalid} |`,
        `| invalid, singly (one of each kind) | ${plan.invalidSingly} | 400/422 ${outcome.singleRefused} |`,
      ].join('\n'),
    });
  },
};
