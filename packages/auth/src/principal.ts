import { AppError, isRole, type Role, roles } from '@g2g/domain';

/** The verified caller of a request. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** For `centre_operator`: the one centre the token may act for. */
  readonly centre: string | undefined;
  /** For `employer`: the employer account the token may act for. */
  readonly employer: string | undefined;
}

const CENTRE_CODE = /^U[0-9]{4}$/;
const EMPLOYER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads a principal out of verified JWT claims. Claims: `sub`, `roles` (array of role names),
 * `centre` (required with centre_operator), `employer` (required with employer).
 * Throws `unauthenticated` when the claims do not describe a usable principal.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const reject = (why: string): never => {
    throw new AppError('unauthenticated', `The token's claims are not usable: ${why}.`);
  };
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) reject('missing or invalid "sub"');
  const raw = claims.roles;
  if (!Array.isArray(raw) || raw.length === 0) reject('"roles" must be a non-empty array');
  const list = raw as unknown[];
  const unknown = list.filter((r) => !isRole(r));
  if (unknown.length > 0)
    reject(`unknown role(s) ${unknown.map(String).join(', ')}; known: ${roles.join(', ')}`);
  const granted = [...new Set(list as Role[])];
  const centre = claims.centre;
  const employer = claims.employer;
  if (granted.includes('centre_operator') && (typeof centre !== 'string' || !CENTRE_CODE.test(centre))) {
    reject('a centre_operator token needs a "centre" claim such as U1414');
  }
  if (granted.includes('employer') && (typeof employer !== 'string' || !EMPLOYER_ID.test(employer))) {
    reject('an employer token needs an "employer" claim');
  }
  return {
    sub: sub as string,
    roles: granted,
    centre: typeof centre === 'string' ? centre : undefined,
    employer: typeof employer === 'string' ? employer : undefined,
  };
}
