/** The roles a token can carry. Every route declares which of them may call it. */
export const roles = [
  'centre_operator',
  'employer',
  'committee',
  'ministry_officer',
  'witness',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** Who did something: the token subject and the role it acted in, or the platform itself. */
export interface Actor {
  readonly sub: string;
  readonly role: Role | 'system' | 'public';
}

export const systemActor: Actor = { sub: 'system', role: 'system' };
