import type { Centre, DemoStep } from '../context.ts';
import { check } from '../context.ts';

interface CentreItem {
  code: string;
  union: { id: number; name: string };
  district: { id: number; name: string };
  division: { id: number; name: string };
}

/** The real union service centres, from the public list (GET /v1/centres). */
export const loadCentres: DemoStep = {
  id: 'centres',
  title: 'Union service centres',
  async run(ctx) {
    const items = await ctx.apis.registration.all<CentreItem>('/v1/centres?limit=500');
    check(items.length > 0, 'GET /v1/centres listed no centre');
    const centres: Centre[] = items.map((c) => ({
      code: c.code,
      unionId: c.union.id,
      district: { id: c.district.id, name: c.district.name },
      division: { id: c.division.id, name: c.division.name },
    }));
    ctx.state.centres = centres;
    const districts = new Set(centres.map((c) => c.district.id)).size;
    const divisions = new Set(centres.map((c) => c.division.id)).size;
    ctx.log(
      `${centres.length.toLocaleString('en')} centres in ${districts} districts, ${divisions} divisions`,
    );
    ctx.state.sections.push({
      stepId: this.id,
      title: this.title,
      markdown: `${centres.length.toLocaleString('en')} union service centres (one per union) in ${districts} districts and ${divisions} divisions, read from \`GET /v1/centres\`.`,
    });
  },
};
