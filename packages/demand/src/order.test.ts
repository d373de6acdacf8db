import { money, type Scheme } from '@g2g/domain';
import { describe, expect, it } from 'vitest';
import type { DemandActor } from './actor.ts';
import type { EmployerStatus } from './employer.ts';
import {
  type DemandCommand,
  type DemandContext,
  type DemandEvent,
  type DemandOrderState,
  type DemandStatus,
  decide,
  demandStatuses,
  demandVisibleTo,
  evolve,
} from './order.ts';
import type { DemandTerms } from './terms.ts';
import { sampleActors, sampleScheme, sampleTerms, thrown } from './testing.ts';

const scheme = sampleScheme;
const terms = sampleTerms({ workersRequested: 20 });
const TODAY = '2013-03-01';
const owner = sampleActors.owner!;

function ctx(actor: DemandActor, employerStatus: EmployerStatus = 'approved'): DemandContext {
  return { actor, scheme, employerStatus, today: TODAY };
}

function run(events: DemandEvent[], start?: DemandOrderState): DemandOrderState {
  return events.reduce<DemandOrderState | undefined>((s, e) => evolve(s, e), start)!;
}

const draft = run([{ type: 'created', id: 'd-1', employerId: 'felda-1', schemeId: scheme.id, terms }]);
const submitted = run([{ type: 'submitted' }], draft);
/** Approved for 10 and fully allocated, so that closing it as filled is legal. */
const approved: DemandOrderState = {
  ...run([{ type: 'approved', workersApproved: 10, note: null }], submitted),
  activePlacements: 10,
};
const rejected = run([{ type: 'rejected', reason: 'Wage below the industry norm' }], submitted);
const closed = run([{ type: 'closed', outcome: 'filled', reason: 'All arrived' }], approved);
const states: Record<DemandStatus, DemandOrderState> = { draft, submitted, approved, rejected, closed };

// The specification of who may do what from where, written out independently of the implementation.
const actors = sampleActors;

type Case = {
  command: DemandCommand;
  /** Roles that may issue the command in some status (others: 403). */
  roles: string[];
  /** Per actor name: the statuses it may issue the command from (others: 409). */
  legal: Record<string, DemandStatus[]>;
  /** Status after a legal command; undefined: unchanged. */
  to?: DemandStatus;
};

const cases: Record<string, Case> = {
  amend: {
    command: { type: 'amend', changes: { ...terms, jobTitle: 'Harvester (FFB)' }, reason: 'Title clarified' },
    roles: ['employer', 'committee'],
    legal: { owner: ['draft', 'approved'], committee: ['approved'] },
  },
  submit: { command: { type: 'submit' }, roles: ['employer'], legal: { owner: ['draft'] }, to: 'submitted' },
  approve: {
    command: { type: 'approve', workersApproved: 15 },
    roles: ['committee'],
    legal: { committee: ['submitted'] },
    to: 'approved',
  },
  reject: {
    command: { type: 'reject', reason: 'Accommodation terms unclear' },
    roles: ['committee'],
    legal: { committee: ['submitted'] },
    to: 'rejected',
  },
  closeCancelled: {
    command: { type: 'close', outcome: 'cancelled', reason: 'Project postponed' },
    roles: ['employer', 'committee'],
    legal: { owner: ['draft', 'submitted', 'approved'], committee: ['approved'] },
    to: 'closed',
  },
  closeFilled: {
    command: { type: 'close', outcome: 'filled', reason: 'All workers arrived' },
    roles: ['employer', 'committee'],
    legal: { owner: ['approved'], committee: ['approved'] },
    to: 'closed',
  },
};

describe('the demand order decider', () => {
  for (const [name, spec] of Object.entries(cases)) {
    for (const [actorName, actor] of Object.entries(actors)) {
      for (const status of demandStatuses) {
        const legal = spec.legal[actorName]?.includes(status) ?? false;
        const expected = !spec.roles.includes(actor.role)
          ? '403'
          : actorName === 'otherEmployer'
            ? '404'
            : legal
              ? 'ok'
              : '409';
        it(`${name} by ${actorName} on a ${status} order: ${expected}`, () => {
          const state = states[status];
          const run = () => decide(spec.command, state, ctx(actor));
          if (expected === 'ok') {
            const events = run();
            expect(events).toHaveLength(1);
            const after = events.reduce<DemandOrderState>((s, e) => evolve(s, e), state);
            expect(after.status).toBe(spec.to ?? status);
            if (spec.command.type === 'amend') expect(after.version).toBe(state.version + 1);
            return;
          }
          const err = thrown(run);
          if (expected === '403') expect(err.code).toBe('forbidden');
          if (expected === '404') {
            expect(err.code).toBe('not-found');
            expect(err.detail).toBe('There is no demand order d-1.');
          }
          if (expected === '409') {
            expect(err.code).toBe('conflict');
            expect(err.extensions?.currentState).toBe(status);
            expect(err.detail).toContain(status);
          }
        });
      }
    }
  }

  it('lets only an employer with an approved account file an order, as a draft at version 1', () => {
    const create: DemandCommand = { type: 'create', id: 'd-9', schemeId: scheme.id, terms };
    const [event] = decide(create, undefined, ctx(owner));
    expect(event).toEqual({ type: 'created', id: 'd-9', employerId: 'felda-1', schemeId: scheme.id, terms });
    expect(run([event!])).toMatchObject({ status: 'draft', version: 1, everApproved: false });
    for (const role of ['committee', 'ministry_officer', 'auditor', 'witness', 'centre_operator'] as const) {
      expect(thrown(() => decide(create, undefined, ctx({ role }))).code).toBe('forbidden');
    }
    for (const status of ['pending', 'suspended'] as const) {
      const err = thrown(() => decide(create, undefined, ctx(owner, status)));
      expect(err.code).toBe('conflict');
      expect(err.extensions?.employerStatus).toBe(status);
    }
  });

  it('holds the demand of a suspended employer: the employer cannot act and the committee cannot approve', () => {
    expect(thrown(() => decide({ type: 'submit' }, draft, ctx(owner, 'suspended'))).code).toBe('conflict');
    const approve = () =>
      decide({ type: 'approve', workersApproved: 5 }, submitted, ctx({ role: 'committee' }, 'suspended'));
    expect(thrown(approve).extensions?.employerStatus).toBe('suspended');
    // The committee may still reject or close it.
    expect(
      decide(
        { type: 'reject', reason: 'Employer suspended' },
        submitted,
        ctx({ role: 'committee' }, 'suspended'),
      ),
    ).toHaveLength(1);
  });

  it('approves for fewer workers than requested, never more, never none', () => {
    const committee = ctx({ role: 'committee' });
    const [event] = decide({ type: 'approve', workersApproved: 12 }, submitted, committee);
    expect(run([event!], submitted)).toMatchObject({
      status: 'approved',
      workersApproved: 12,
      everApproved: true,
    });
    for (const n of [0, 21]) {
      const err = thrown(() => decide({ type: 'approve', workersApproved: n }, submitted, committee));
      expect(err.code).toBe('validation-failed');
      expect(err.errors?.[0]?.pointer).toBe('/body/workersApproved');
    }
  });

  it('re-checks the scheme rules on submission and approval, pointing into the order', () => {
    const stricter: Scheme = { ...scheme, rules: { ...scheme.rules, minMonthlyWageMinor: 120000n } };
    for (const [command, state, actor] of [
      [{ type: 'submit' }, draft, owner],
      [{ type: 'approve', workersApproved: 5 }, submitted, { role: 'committee' }],
    ] as const) {
      const err = thrown(() => decide(command, state, { ...ctx(actor), scheme: stricter }));
      expect(err.code).toBe('rule-violated');
      expect(err.extensions?.rules).toEqual(['minimum-wage']);
      expect(err.errors).toEqual([
        { pointer: '/order/monthlyWage/amountMinor', detail: expect.stringMatching(/^minimum-wage: /) },
      ]);
    }
  });

  it('refuses to submit an order whose start date has passed, but approves it', () => {
    const late = { ...ctx(owner), today: '2013-09-02' };
    expect(thrown(() => decide({ type: 'submit' }, draft, late)).extensions?.rules).toEqual([
      'start-date-not-past',
    ]);
    expect(
      decide({ type: 'approve', workersApproved: 1 }, submitted, { ...late, actor: { role: 'committee' } }),
    ).toHaveLength(1);
  });

  it('closes as filled only when no vacancy is open', () => {
    const partly = { ...approved, activePlacements: 7 };
    const err = thrown(() =>
      decide({ type: 'close', outcome: 'filled', reason: 'done' }, partly, ctx(owner)),
    );
    expect(err.code).toBe('conflict');
    expect(err.extensions?.openVacancies).toBe(3);
    expect(
      decide({ type: 'close', outcome: 'cancelled', reason: 'Season over' }, partly, ctx(owner)),
    ).toEqual([{ type: 'closed', outcome: 'cancelled', reason: 'Season over' }]);
  });
});

describe('amending an order', () => {
  const committee = ctx({ role: 'committee' });
  const open = { ...approved, activePlacements: 4 };

  it('makes a new version of a draft without a reason, and nothing when nothing changes', () => {
    const [event] = decide({ type: 'amend', changes: { ...terms, workersRequested: 30 } }, draft, ctx(owner));
    expect(event).toEqual({
      type: 'amended',
      version: 2,
      terms: { ...terms, workersRequested: 30 },
      workersApproved: null,
      reason: null,
    });
    expect(decide({ type: 'amend', changes: { ...terms } }, draft, ctx(owner))).toEqual([]);
  });

  it('needs a reason for an approved order, and refuses a stale expected version', () => {
    const change = {
      type: 'amend',
      changes: { ...terms, workLocation: 'Ladang Kota Tinggi, Johor' },
    } as const;
    expect(thrown(() => decide(change, open, ctx(owner))).errors?.[0]?.pointer).toBe('/body/reason');
    const stale = thrown(() => decide({ ...change, reason: 'Moved', expectedVersion: 2 }, open, ctx(owner)));
    expect(stale.code).toBe('conflict');
    expect(stale.extensions?.currentVersion).toBe(1);
    expect(decide({ ...change, reason: 'Moved', expectedVersion: 1 }, open, ctx(owner))[0]).toMatchObject({
      version: 2,
    });
  });

  it('lets only the committee change the approved number, within the request and above the allocated', () => {
    const by = (actor: DemandContext, n: number) =>
      decide({ type: 'amend', changes: {}, workersApproved: n, reason: 'Quota revised' }, open, actor);
    expect(thrown(() => by(ctx(owner), 12)).code).toBe('forbidden');
    expect(by(committee, 12)[0]).toMatchObject({ type: 'amended', workersApproved: 12, version: 2 });
    expect(thrown(() => by(committee, 21)).code).toBe('validation-failed');
    const below = thrown(() => by(committee, 3));
    expect(below.code).toBe('conflict');
    expect(below.extensions?.activePlacements).toBe(4);
  });

  it('lowers the approval when the employer asks for fewer workers than were approved', () => {
    const [event] = decide(
      { type: 'amend', changes: { ...terms, workersRequested: 6 }, reason: 'Smaller harvest' },
      open,
      ctx(owner),
    );
    expect(event).toMatchObject({ workersApproved: 6 });
    const tooFew = { type: 'amend', changes: { ...terms, workersRequested: 3 }, reason: 'Smaller' } as const;
    expect(thrown(() => decide(tooFew, open, ctx(owner))).code).toBe('conflict');
  });

  it('refuses the employer terms worse for the worker than those approved; the committee may', () => {
    const worse: DemandTerms = {
      ...terms,
      monthlyWage: money(95000, 'MYR'),
      accommodation: { ...terms.accommodation, monthlyDeduction: money(9000, 'MYR') },
      food: { ...terms.food },
    };
    const err = thrown(() => decide({ type: 'amend', changes: worse, reason: 'Costs' }, open, ctx(owner)));
    expect(err.code).toBe('rule-violated');
    expect(err.extensions?.rules).toEqual(['approved-terms-not-worsened']);
    expect(err.errors?.map((e) => e.pointer)).toEqual([
      '/body/monthlyWage/amountMinor',
      '/body/accommodation/monthlyDeduction/amountMinor',
    ]);
    const notProvided: DemandTerms = {
      ...terms,
      accommodation: { provided: false, monthlyDeduction: money(0, 'MYR'), terms: 'Find your own' },
    };
    expect(
      thrown(() => decide({ type: 'amend', changes: notProvided, reason: 'x' }, open, ctx(owner))).errors?.[0]
        ?.pointer,
    ).toBe('/body/accommodation/provided');
    expect(
      decide({ type: 'amend', changes: worse, reason: 'Agreed with the union' }, open, committee),
    ).toHaveLength(1);
    // A draft is the employer's own to change.
    expect(decide({ type: 'amend', changes: worse }, draft, ctx(owner))).toHaveLength(1);
  });

  it('fixes sector, gender and age range once workers are allocated', () => {
    const changed: DemandTerms = { ...terms, gender: 'any', ageRange: { min: 21, max: 44 } };
    const err = thrown(() => decide({ type: 'amend', changes: changed, reason: 'Widen' }, open, committee));
    expect(err.code).toBe('conflict');
    expect(err.errors?.map((e) => e.pointer)).toEqual(['/body/gender', '/body/ageRange']);
    const none = { ...approved, activePlacements: 0 };
    expect(decide({ type: 'amend', changes: changed, reason: 'Widen' }, none, committee)).toHaveLength(1);
  });

  it('checks the start date only when it changes', () => {
    const later = { ...ctx(owner), today: '2013-10-01' };
    const title = { ...terms, jobTitle: 'Harvester' };
    expect(decide({ type: 'amend', changes: title, reason: 'Title' }, open, later)).toHaveLength(1);
    const moved = { ...terms, expectedStartDate: '2013-09-15' };
    expect(
      thrown(() => decide({ type: 'amend', changes: moved, reason: 'Later' }, open, later)).extensions?.rules,
    ).toEqual(['start-date-not-past']);
  });
});

describe('who reads an order', () => {
  const expectations: Record<string, [boolean, boolean]> = {
    // [never approved, approved at some point]
    owner: [true, true],
    otherEmployer: [false, false],
    committee: [true, true],
    ministry_officer: [false, true],
    auditor: [false, true],
    witness: [false, false],
    centre_operator: [false, false],
    public: [false, false],
  };
  for (const [name, [unapproved, wasApproved]] of Object.entries(expectations)) {
    it(`${name}: ${unapproved ? 'any order' : wasApproved ? 'approved orders only' : 'none'}`, () => {
      const actor = actors[name]!;
      expect(demandVisibleTo(actor, submitted)).toBe(unapproved);
      expect(demandVisibleTo(actor, rejected)).toBe(unapproved);
      expect(demandVisibleTo(actor, approved)).toBe(wasApproved);
      expect(demandVisibleTo(actor, closed)).toBe(wasApproved);
    });
  }
});
