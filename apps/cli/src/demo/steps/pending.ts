import type { DemoStep } from '../context.ts';

/**
 * An extension point: a step that is not built yet. It runs in its place in the sequence and says so
 * in the report, so a reader sees what the demo does not show yet. The integrator replaces it in
 * `steps/index.ts` with the real step (same id), which reads `ctx.state` and fills its own fields.
 */
export function pendingStep(id: string, title: string, what: string): DemoStep {
  return {
    id,
    title,
    async run(ctx) {
      ctx.log('not built yet (extension point)');
      ctx.state.sections.push({
        stepId: id,
        title,
        markdown: `**Not run in this build.** ${what}`,
        pending: true,
      });
    },
  };
}
