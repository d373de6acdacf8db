import { type FieldError, hmacSha256Hex, sha256Hex } from '@g2g/domain';
import type { CalendarDate } from './calendar.ts';
import { isCalendarDate } from './calendar.ts';
import { stripSeparators, toAsciiDigits } from './digits.ts';

/**
 * Checks and normalises what an operator types about a worker. Pure: the caller passes today's date
 * (in Dhaka) and a lookup for union ids. Every problem is reported at once, each with a JSON Pointer
 * under `prefix` (`/body` for a single registration, `/body/items/7` for a batch item).
 */
export const genders = ['male', 'female', 'other'] as const;
export type Gender = (typeof genders)[number];

export const educationLevels = [
  'none',
  'primary',
  'secondary',
  'ssc',
  'hsc',
  'diploma',
  'bachelor',
  'master-or-higher',
] as const;
export type EducationLevel = (typeof educationLevels)[number];

export const identityKinds = ['nid', 'birth-registration'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** A registration as received (after the JSON shape check): numbers and dates may use Bangla digits. */
export interface WorkerInput {
  readonly identity: { readonly kind: IdentityKind; readonly number: string };
  readonly nameEn: string;
  readonly nameBn: string;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly mobile: string;
  readonly permanentUnionCode: string;
  readonly preferredSectors: readonly string[];
  readonly education: EducationLevel;
  readonly trade?: string | undefined;
  readonly skills?: readonly string[] | undefined;
  readonly experienceYears?: number | string | undefined;
  readonly passportNumber?: string | undefined;
}

export interface NormalisedIdentity {
  readonly kind: IdentityKind;
  /** What the keyed hash is taken over: kind-tagged canonical digits (see `normaliseIdentity`). */
  readonly hashInput: string;
  /** The last four digits as entered: the only part of the number that is stored. */
  readonly last4: string;
}

export interface Worker {
  readonly identity: NormalisedIdentity;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly gender: Gender;
  readonly dateOfBirth: CalendarDate;
  /** E.164, e.g. +8801712345678. */
  readonly mobile: string;
  readonly permanentUnionId: number;
  readonly preferredSectors: readonly string[];
  readonly education: EducationLevel;
  readonly trade: string | null;
  readonly skills: readonly string[];
  readonly experienceYears: number;
  readonly passportNumber: string | null;
}

export interface WorkerContext {
  /** Today in Dhaka: a date of birth may not be later. */
  readonly today: CalendarDate;
  readonly unionExists: (unionId: number) => boolean;
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

export const NAME_MAX = 100;
export const SECTOR_SLUG = /^[a-z][a-z0-9_]{1,39}$/;
const LATIN_NAME = /^[A-Za-z][A-Za-z .'()-]*$/;
/** Bengali-script letters and marks, spaces, the full stop and dash, and ZWNJ/ZWJ (used in conjuncts). */
const BANGLA_NAME = /^(?:[\p{Script=Bengali} .-]|\u200C|\u200D)+$/u;
const BANGLA_LETTER = /[\u0985-\u09B9\u09CE\u09DC-\u09E1\u09F0\u09F1]/u;
const BANGLA_DIGIT = /[\u09E6-\u09EF]/u;
const MOBILE = /^(?:\+?88)?(01[3-9][0-9]{8})$/;
const PASSPORT = /^(?=.{9}$)[A-Z]{1,2}[0-9]{7,8}$/;
const UNION_CODE = /^U?([0-9]{1,4})$/;
const FREE_TEXT = /^[\p{L}\p{M}\p{N} .,&/()'-]+$/u;

/** NFC, collapsed inner whitespace, trimmed: the form names are compared and stored in. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * National identity numbers, checked by format only (no registry is consulted):
 * - NID, 10 digits: the smart-card NID number.
 * - NID, 13 digits: the legacy paper NID; its first two digits are a district code, never 00.
 * - NID, 17 digits: the legacy number prefixed with the holder's four-digit year of birth; the prefix
 *   must equal the year in the date of birth. It is hashed as its 13-digit core, so the same person
 *   cannot register once with each form.
 * - Birth registration number, 17 digits (for those without an NID): also starts with the year of
 *   birth, checked the same way.
 * All: digits only (Bangla digits converted, spaces and dashes removed), not one digit repeated.
 */
export function normaliseIdentity(
  kind: IdentityKind,
  raw: string,
  birthYear: number | undefined,
): { ok: true; value: NormalisedIdentity } | { ok: false; detail: string } {
  const digits = stripSeparators(toAsciiDigits(raw));
  if (!/^[0-9]+$/.test(digits)) return { ok: false, detail: 'digits only (Bangla digits are accepted)' };
  if (/^(.)\1*$/.test(digits)) return { ok: false, detail: 'not a real identity number' };
  const last4 = digits.slice(-4);
  const yearPrefix = (what: string) => {
    const year = Number(digits.slice(0, 4));
    if (birthYear !== undefined && year !== birthYear) {
      return `a 17-digit ${what} starts with the year of birth (${birthYear}), not ${digits.slice(0, 4)}`;
    }
    if (year < 1900) return `a 17-digit ${what} starts with the year of birth`;
    return undefined;
  };
  if (kind === 'birth-registration') {
    if (digits.length !== 17) return { ok: false, detail: 'a birth registration number has 17 digits' };
    const problem = yearPrefix('birth registration number');
    if (problem) return { ok: false, detail: problem };
    return { ok: true, value: { kind, hashInput: `brn:${digits}`, last4 } };
  }
  switch (digits.length) {
    case 10:
      return { ok: true, value: { kind, hashInput: `nid10:${digits}`, last4 } };
    case 13:
      if (digits.startsWith('00')) return { ok: false, detail: 'a 13-digit NID starts with a district code' };
      return { ok: true, value: { kind, hashInput: `nid13:${digits}`, last4 } };
    case 17: {
      const problem = yearPrefix('NID');
      if (problem) return { ok: false, detail: problem };
      if (digits.startsWith('00', 4))
        return { ok: false, detail: 'a 17-digit NID has a district code after the year' };
      return { ok: true, value: { kind, hashInput: `nid13:${digits.slice(4)}`, last4 } };
    }
    default:
      return { ok: false, detail: 'an NID has 10, 13 (legacy) or 17 digits' };
  }
}

/** A Bangladesh mobile number in any usual form (01..., 8801..., +8801...) as E.164, or undefined. */
export function normaliseMobile(raw: string): string | undefined {
  const m = MOBILE.exec(stripSeparators(toAsciiDigits(raw)).replace(/[()]/g, ''));
  return m ? `+88${m[1]}` : undefined;
}

/** Union code `U1414`, `1414` or `১৪১৪` to the union id. */
export function parseUnionCode(raw: string): number | undefined {
  const m = UNION_CODE.exec(toAsciiDigits(raw.trim()).toUpperCase());
  return m ? Number(m[1]) : undefined;
}

export function checkWorker(input: WorkerInput, ctx: WorkerContext, prefix = '/body'): Checked<Worker> {
  const errors: FieldError[] = [];
  const fail = (field: string, detail: string) => errors.push({ pointer: `${prefix}/${field}`, detail });

  const dateOfBirth = toAsciiDigits(input.dateOfBirth.trim());
  let birthYear: number | undefined;
  if (!isCalendarDate(dateOfBirth)) fail('dateOfBirth', "a date 'YYYY-MM-DD' (Bangla digits are accepted)");
  else if (dateOfBirth > ctx.today) fail('dateOfBirth', 'is in the future');
  else if (dateOfBirth < '1900-01-01') fail('dateOfBirth', 'is before 1900');
  else birthYear = Number(dateOfBirth.slice(0, 4));

  const identity = normaliseIdentity(input.identity.kind, input.identity.number, birthYear);
  if (!identity.ok) fail('identity/number', identity.detail);

  const nameEn = normaliseText(input.nameEn);
  if ([...nameEn].length < 2 || [...nameEn].length > NAME_MAX) fail('nameEn', `2-${NAME_MAX} characters`);
  else if (!LATIN_NAME.test(nameEn)) fail('nameEn', "English letters, spaces and . ' ( ) - only");

  const nameBn = normaliseText(input.nameBn);
  if ([...nameBn].length < 2 || [...nameBn].length > NAME_MAX) fail('nameBn', `2-${NAME_MAX} characters`);
  else if (!BANGLA_NAME.test(nameBn) || !BANGLA_LETTER.test(nameBn))
    fail('nameBn', 'the name in Bengali script');
  else if (BANGLA_DIGIT.test(nameBn)) fail('nameBn', 'a name has no digits');

  const mobile = normaliseMobile(input.mobile);
  if (!mobile) fail('mobile', 'a Bangladesh mobile number: 01XXXXXXXXX, 8801XXXXXXXXX or +8801XXXXXXXXX');

  const permanentUnionId = parseUnionCode(input.permanentUnionCode);
  if (permanentUnionId === undefined) fail('permanentUnionCode', 'a union code such as U1414');
  else if (!ctx.unionExists(permanentUnionId)) fail('permanentUnionCode', 'no union has this code');

  const sectors = input.preferredSectors.map((s) => s.trim().toLowerCase());
  if (sectors.length === 0) fail('preferredSectors', 'at least one sector, most preferred first');
  sectors.forEach((s, i) => {
    if (!SECTOR_SLUG.test(s)) fail(`preferredSectors/${i}`, 'a sector slug such as plantation');
    else if (sectors.indexOf(s) !== i) fail(`preferredSectors/${i}`, 'repeats an earlier preference');
  });

  const skillFields = checkSkillFields(input, fail);

  if (errors.length > 0 || !identity.ok || !mobile || permanentUnionId === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      identity: identity.value,
      nameEn,
      nameBn,
      gender: input.gender,
      dateOfBirth,
      mobile,
      permanentUnionId,
      preferredSectors: sectors,
      education: input.education,
      trade: skillFields.trade ?? null,
      skills: skillFields.skills ?? [],
      experienceYears: skillFields.experienceYears ?? 0,
      passportNumber: skillFields.passportNumber ?? null,
    },
  };
}

interface SkillFieldsInput {
  readonly trade?: string | null | undefined;
  readonly skills?: readonly string[] | undefined;
  readonly experienceYears?: number | string | undefined;
  readonly passportNumber?: string | null | undefined;
}

/** Trade, skills, years of experience and passport: checked alike at registration and amendment. */
function checkSkillFields(input: SkillFieldsInput, fail: (field: string, detail: string) => void) {
  const out: {
    trade?: string | null;
    skills?: string[];
    experienceYears?: number;
    passportNumber?: string | null;
  } = {};
  if (input.trade === null || (input.trade !== undefined && input.trade.trim() === '')) out.trade = null;
  else if (input.trade !== undefined) {
    out.trade = normaliseText(input.trade);
    if (out.trade.length > 80 || !FREE_TEXT.test(out.trade)) {
      fail('trade', 'up to 80 letters, digits, spaces and punctuation');
    }
  }
  if (input.skills !== undefined) {
    out.skills = input.skills.map(normaliseText);
    out.skills.forEach((s, i) => {
      if (s.length < 2 || s.length > 60 || !FREE_TEXT.test(s))
        fail(`skills/${i}`, '2-60 letters, digits and spaces');
    });
  }
  if (input.experienceYears !== undefined) {
    const text = toAsciiDigits(String(input.experienceYears).trim());
    if (!/^[0-9]{1,2}$/.test(text) || Number(text) > 60) fail('experienceYears', 'whole years, 0-60');
    else out.experienceYears = Number(text);
  }
  if (
    input.passportNumber === null ||
    (input.passportNumber !== undefined && input.passportNumber.trim() === '')
  ) {
    out.passportNumber = null;
  } else if (input.passportNumber !== undefined) {
    out.passportNumber = stripSeparators(toAsciiDigits(input.passportNumber)).toUpperCase();
    if (!PASSPORT.test(out.passportNumber))
      fail('passportNumber', 'a Bangladesh passport number such as BA0123456');
  }
  return out;
}

/** Fields fixed at registration: to change one, withdraw and register again. */
export const IDENTITY_FIELDS = [
  'windowId',
  'identity',
  'nameEn',
  'nameBn',
  'gender',
  'dateOfBirth',
  'permanentUnionCode',
  'preferredSectors',
] as const;

export interface AmendmentInput extends SkillFieldsInput {
  readonly mobile?: string | undefined;
  readonly education?: EducationLevel | undefined;
}

export interface Amendment {
  readonly mobile?: string;
  readonly education?: EducationLevel;
  readonly trade?: string | null;
  readonly skills?: readonly string[];
  readonly experienceYears?: number;
  readonly passportNumber?: string | null;
}

/**
 * Checks an amendment of contact details or skills. `input` is the request body as sent, so that an
 * attempt to change an identity field is refused by name rather than silently ignored.
 */
export function checkAmendment(
  input: AmendmentInput & Record<string, unknown>,
  prefix = '/body',
): Checked<Amendment> {
  const errors: FieldError[] = [];
  const fail = (field: string, detail: string) => errors.push({ pointer: `${prefix}/${field}`, detail });
  for (const field of IDENTITY_FIELDS) {
    if (input[field] !== undefined)
      fail(field, 'cannot be changed after registration; withdraw and register again');
  }
  const out: { -readonly [K in keyof Amendment]: Amendment[K] } = { ...checkSkillFields(input, fail) };
  if (input.mobile !== undefined) {
    const mobile = normaliseMobile(input.mobile);
    if (!mobile) fail('mobile', 'a Bangladesh mobile number: 01XXXXXXXXX, 8801XXXXXXXXX or +8801XXXXXXXXX');
    else out.mobile = mobile;
  }
  if (input.education !== undefined) out.education = input.education;
  if (errors.length > 0) return { ok: false, errors };
  if (Object.keys(out).length === 0) {
    return { ok: false, errors: [{ pointer: prefix, detail: 'name at least one field to change' }] };
  }
  return { ok: true, value: out };
}

/**
 * A digest of a registration as understood: the window, the normalised worker (identity as its
 * normalised form) and how it was made, in a fixed order, so the same registration typed with Bangla
 * or ASCII digits has the same digest. Offline batch replays are recognised by it, and audit payloads
 * commit to a registration's content through it (one hash instead of a canonical walk per field).
 */
export function registrationDigest(
  windowId: string,
  w: Worker,
  made: { readonly reservedNumber?: string | undefined; readonly registeredAt?: Date | undefined } = {},
): string {
  return sha256Hex(
    JSON.stringify([
      windowId,
      w.identity.kind,
      w.identity.hashInput,
      w.nameEn,
      w.nameBn,
      w.gender,
      w.dateOfBirth,
      w.mobile,
      w.permanentUnionId,
      w.preferredSectors,
      w.education,
      w.trade,
      w.skills,
      w.experienceYears,
      w.passportNumber,
      made.reservedNumber ?? null,
      made.registeredAt?.toISOString() ?? null,
    ]),
  );
}

/** The keyed hash that stands in for an identity number: hex HMAC-SHA-256 under the server secret. */
export function identityHash(secret: Uint8Array, identity: Pick<NormalisedIdentity, 'hashInput'>): string {
  return hmacSha256Hex(secret, identity.hashInput);
}
