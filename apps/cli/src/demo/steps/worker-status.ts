import type { DemoStep } from '../context.ts';
import { check, need } from '../context.ts';

/** A few workers check their own status (POST /v1/status, public): number and date of birth only. */
export const workerStatus: DemoStep = {
  id: 'status',
  title: 'Workers check their status',
  async run(ctx) {
    const { registered } = need(ctx.state.registration, 'the registrations');
    const sample = [0, Math.floor(registered.length / 2), registered.length - 1]
      .map((i) => registered[i])
      .filter((r) => r !== undefined);
    const lines: string[] = [];
    for (const r of sample) {
      const res = await ctx.apis.registration.post<{ status: string; nextStep: { en: string } }>(
        '/v1/status',
        { registrationNumber: r.registrationNumber, dateOfBirth: r.dateOfBirth },
      );
      check(res.body.status === 'registered', `status of ${r.registrationNumber}`);
      lines.push(`| ${r.registrationNumber} | ${res.body.status} | ${res.body.nextStep.en} |`);
    }
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: [
        'Workers check their own registration with the number on their receipt and their date of birth (a wrong date and an unknown number get the same answer; repeated failures lock out):',
        '',
        '| Registration number | Status | Next step |',
        '| --- | --- | --- |',
        ...lines,
      ].join('\n'),
    });
  },
};
