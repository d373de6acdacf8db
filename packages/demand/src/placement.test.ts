import { describe, expect, it } from 'vitest';
import {
  assertCapacity,
  assertReplaceable,
  decidePlacement,
  fillFrom,
  type PlacementCommand,
  type PlacementStage,
  placementStages,
} from './placement.ts';
import { sampleActors as actors, thrown } from './testing.ts';

// The stage machine written out: command -> roles, from -> to.
const spec: Record<
  string,
  { command: PlacementCommand; roles: string[]; from: PlacementStage[]; to: PlacementStage }
> = {
  medicalPassed: {
    command: { type: 'medical', result: 'passed' },
    roles: ['ministry_officer'],
    from: ['selected'],
    to: 'medical_passed',
  },
  medicalFailed: {
    command: { type: 'medical', result: 'failed' },
    roles: ['ministry_officer'],
    from: ['selected'],
    to: 'medical_failed',
  },
  visa: {
    command: { type: 'visa' },
    roles: ['ministry_officer'],
    from: ['medical_passed'],
    to: 'visa_issued',
  },
  departure: {
    command: { type: 'departure' },
    roles: ['ministry_officer'],
    from: ['visa_issued'],
    to: 'departed',
  },
  arrival: {
    command: { type: 'arrival' },
    roles: ['employer', 'committee'],
    from: ['departed'],
    to: 'arrived',
  },
  dropout: {
    command: { type: 'dropout', reason: 'withdrew' },
    roles: ['ministry_officer'],
    from: ['selected', 'medical_passed', 'visa_issued', 'departed'],
    to: 'dropped_out',
  },
};

describe('placement stages', () => {
  for (const [name, s] of Object.entries(spec)) {
    for (const [actorName, actor] of Object.entries(actors)) {
      for (const stage of placementStages) {
        const expected = !s.roles.includes(actor.role)
          ? 'forbidden'
          : actorName === 'otherEmployer'
            ? 'not-found'
            : s.from.includes(stage)
              ? s.to
              : 'conflict';
        it(`${name} by ${actorName} from ${stage}: ${expected}`, () => {
          const state = { id: 'p-1', employerId: 'felda-1', stage };
          const run = () => decidePlacement(s.command, state, actor);
          if (placementStages.includes(expected as PlacementStage)) {
            expect(run()).toEqual({
              from: stage,
              to: expected,
              dropoutReason: s.command.type === 'dropout' ? 'withdrew' : null,
            });
            return;
          }
          const err = thrown(run);
          expect(err.code).toBe(expected);
          if (expected === 'conflict') expect(err.extensions?.currentState).toBe(stage);
        });
      }
    }
  }
});

describe('capacity and replacement', () => {
  const order = {
    id: 'd-1',
    status: 'approved',
    employerStatus: 'approved',
    workersApproved: 10,
    activePlacements: 7,
  } as const;

  it('allocates up to the open vacancies and no further', () => {
    expect(() => assertCapacity(order, 3)).not.toThrow();
    const err = thrown(() => assertCapacity(order, 4));
    expect(err.code).toBe('conflict');
    expect(err.extensions).toMatchObject({ openVacancies: 3, demandId: 'd-1' });
  });

  it('allocates nothing to an order that is not approved or whose employer is suspended', () => {
    for (const status of ['draft', 'submitted', 'rejected', 'closed'] as const) {
      expect(thrown(() => assertCapacity({ ...order, status }, 1)).extensions?.currentState).toBe(status);
    }
    expect(
      thrown(() => assertCapacity({ ...order, employerStatus: 'suspended' }, 1)).extensions?.employerStatus,
    ).toBe('suspended');
  });

  it('replaces a failed or dropped-out placement once', () => {
    for (const stage of placementStages) {
      const run = () => assertReplaceable({ id: 'p-1', stage, replacedBy: null });
      if (stage === 'medical_failed' || stage === 'dropped_out') expect(run).not.toThrow();
      else expect(thrown(run).extensions?.currentState).toBe(stage);
    }
    expect(thrown(() => assertReplaceable({ id: 'p-1', stage: 'dropped_out', replacedBy: 'p-2' })).code).toBe(
      'conflict',
    );
  });

  it('counts the fill: active stages fill vacancies, failed and dropped out do not', () => {
    const fill = fillFrom(
      { status: 'approved', workersApproved: 10 },
      {
        selected: 2,
        medical_passed: 1,
        medical_failed: 1,
        visa_issued: 1,
        departed: 1,
        arrived: 2,
        dropped_out: 3,
      },
    );
    expect(fill).toEqual({
      workersApproved: 10,
      stages: {
        selected: 2,
        medical_passed: 1,
        medical_failed: 1,
        visa_issued: 1,
        departed: 1,
        arrived: 2,
        dropped_out: 3,
      },
      allocated: 11,
      active: 7,
      openVacancies: 3,
    });
    expect(fillFrom({ status: 'closed', workersApproved: 10 }, { arrived: 2 }).openVacancies).toBe(0);
    expect(fillFrom({ status: 'draft', workersApproved: null }, {}).allocated).toBe(0);
  });
});
