import { describe, expect, it } from 'vitest';
import {
  assertEmployerUpdate,
  decideEmployerStatus,
  type EmployerCommand,
  employerStatuses,
  newEmployerId,
} from './employer.ts';
import { thrown } from './testing.ts';

const commands: Record<string, { command: EmployerCommand; from: string; to: string }> = {
  approve: { command: { type: 'approve' }, from: 'pending', to: 'approved' },
  suspend: { command: { type: 'suspend', reason: 'Unpaid wages found' }, from: 'approved', to: 'suspended' },
  reinstate: { command: { type: 'reinstate', reason: 'Wages paid' }, from: 'suspended', to: 'approved' },
};

describe('employer account status', () => {
  for (const [name, { command, from, to }] of Object.entries(commands)) {
    for (const status of employerStatuses) {
      it(`${name} from ${status}: ${status === from ? to : 'conflict'} (committee); forbidden to every other role`, () => {
        const committee = () => decideEmployerStatus(command, status, { role: 'committee' });
        if (status === from) expect(committee()).toBe(to);
        else expect(thrown(committee).extensions?.currentState).toBe(status);
        for (const role of [
          'employer',
          'ministry_officer',
          'auditor',
          'witness',
          'centre_operator',
          'public',
        ] as const) {
          const err = thrown(() => decideEmployerStatus(command, status, { role, employerId: 'felda-1' }));
          expect(err.code).toBe('forbidden');
        }
      });
    }
  }
});

describe('creating and changing an account', () => {
  it("gives an employer's account the id its token names, and no other", () => {
    const employer = { role: 'employer', employerId: 'felda-1' } as const;
    expect(newEmployerId(employer, undefined)).toBe('felda-1');
    expect(newEmployerId(employer, 'felda-1')).toBe('felda-1');
    expect(thrown(() => newEmployerId(employer, 'sime-2')).code).toBe('forbidden');
  });

  it('has the committee name the id', () => {
    expect(newEmployerId({ role: 'committee' }, 'sime-2')).toBe('sime-2');
    expect(thrown(() => newEmployerId({ role: 'committee' }, undefined)).errors?.[0]?.pointer).toBe(
      '/body/id',
    );
    expect(thrown(() => newEmployerId({ role: 'auditor' }, 'x')).code).toBe('forbidden');
  });

  it('lets an employer change its own address and contact only; the committee anything', () => {
    const employer = { role: 'employer', employerId: 'felda-1' } as const;
    expect(() => assertEmployerUpdate(employer, 'felda-1', ['address', 'contact'])).not.toThrow();
    const identity = thrown(() => assertEmployerUpdate(employer, 'felda-1', ['legalName', 'address']));
    expect(identity.code).toBe('forbidden');
    expect(identity.errors?.map((e) => e.pointer)).toEqual(['/body/legalName']);
    expect(thrown(() => assertEmployerUpdate(employer, 'sime-2', ['address'])).code).toBe('not-found');
    expect(() => assertEmployerUpdate({ role: 'committee' }, 'sime-2', ['legalName'])).not.toThrow();
    expect(thrown(() => assertEmployerUpdate({ role: 'auditor' }, 'sime-2', ['address'])).code).toBe(
      'forbidden',
    );
  });
});
