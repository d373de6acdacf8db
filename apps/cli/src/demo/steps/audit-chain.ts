import type { DemoStep } from '../context.ts';

interface Verification {
  ok: boolean;
  checked: number;
}

/** An auditor verifies the hash-chained audit log (GET /v1/audit-chain/verification). */
export const verifyAuditChain: DemoStep = {
  id: 'audit',
  title: 'Audit log',
  async run(ctx) {
    const auditor = await ctx.token('auditor', { sub: 'auditor-demo' });
    const res = await ctx.apis.ministry.get<Verification>('/v1/audit-chain/verification', { token: auditor });
    if (!res.body.ok) throw new Error('demo check failed: the audit chain does not verify');
    ctx.state.summary.set('audit chain', `verifies (${res.body.checked.toLocaleString('en')} links)`);
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: `Every change above (the scheme, the window, each registration batch and single registration, each employer account and order transition) is in the hash-chained audit log. An auditor re-computed the chain through the ministry API: it verifies, ${res.body.checked.toLocaleString('en')} links (the chainer appends settled events in the background, so the last few seconds' events may not be linked yet).`,
    });
  },
};
