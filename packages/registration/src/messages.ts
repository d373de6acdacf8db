import { toBanglaDigits } from './digits.ts';
import { formatRegistrationNumber } from './registration-number.ts';

interface TemplateDefinition<P extends string> {
  readonly params: readonly P[];
  readonly bn: (p: Readonly<Record<P, string>>) => string;
  readonly en: (p: Readonly<Record<P, string>>) => string;
}

function define<const P extends string>(
  params: readonly P[],
  bn: TemplateDefinition<P>['bn'],
  en: TemplateDefinition<P>['en'],
): TemplateDefinition<P> {
  return { params, bn, en };
}

/**
 * The catalogue of outgoing messages (SMS to workers, alerts to the vigilance desk). Each template
 * renders a Bangla and an English text from named parameters; the outbox stores the rendered text
 * (Bangla first, then English) so that what was sent is what is recorded. Parameters are plain
 * strings chosen by the caller; templates never take names or identity numbers.
 */
export const messageTemplates = {
  'registration.confirmed': define(
    ['registrationNumber', 'windowName'],
    (p) =>
      `নিবন্ধন সম্পন্ন: নম্বর ${toBanglaDigits(formatRegistrationNumber(p.registrationNumber))} (${p.windowName})। লটারি সবার জন্য সমান; কাউকে টাকা দেবেন না।`,
    (p) =>
      `Registered: number ${formatRegistrationNumber(p.registrationNumber)} (${p.windowName}). The draw is equal for all; pay no one.`,
  ),
  'registration.duplicate-offline': define(
    ['registrationNumber', 'existingNumber'],
    (p) =>
      `আপনি আগেই নিবন্ধিত (নম্বর ${toBanglaDigits(formatRegistrationNumber(p.existingNumber))})। রসিদ নম্বর ${toBanglaDigits(formatRegistrationNumber(p.registrationNumber))} বাতিল।`,
    (p) =>
      `You were already registered (number ${formatRegistrationNumber(p.existingNumber)}). Receipt number ${formatRegistrationNumber(p.registrationNumber)} is void.`,
  ),
  'registration.duplicate': define(
    ['existingNumber'],
    (p) =>
      `আপনি আগেই নিবন্ধিত (নম্বর ${toBanglaDigits(formatRegistrationNumber(p.existingNumber))})। নতুন নিবন্ধন হয়নি।`,
    (p) =>
      `You were already registered (number ${formatRegistrationNumber(p.existingNumber)}). No new registration was made.`,
  ),
  'registration.withdrawn': define(
    ['registrationNumber'],
    (p) => `নিবন্ধন ${toBanglaDigits(formatRegistrationNumber(p.registrationNumber))} প্রত্যাহার করা হয়েছে।`,
    (p) => `Registration ${formatRegistrationNumber(p.registrationNumber)} has been withdrawn.`,
  ),
  'registration.contact-changed': define(
    ['registrationNumber'],
    (p) =>
      `নিবন্ধন ${toBanglaDigits(formatRegistrationNumber(p.registrationNumber))}: যোগাযোগের তথ্য পরিবর্তন করা হয়েছে।`,
    (p) => `Registration ${formatRegistrationNumber(p.registrationNumber)}: contact details were changed.`,
  ),
  'draw.result': define(
    ['registrationNumber', 'outcomeEn', 'outcomeBn'],
    (p) =>
      `নিবন্ধন ${toBanglaDigits(formatRegistrationNumber(p.registrationNumber))}: লটারির ফল: ${p.outcomeBn}।`,
    (p) => `Registration ${formatRegistrationNumber(p.registrationNumber)}: draw result: ${p.outcomeEn}.`,
  ),
  'one-time-code': define(
    ['code', 'purposeEn', 'purposeBn'],
    (p) => `আপনার কোড ${toBanglaDigits(p.code)} (${p.purposeBn})। কাউকে জানাবেন না।`,
    (p) => `Your code is ${p.code} (${p.purposeEn}). Do not share it.`,
  ),
  'vigilance.alert': define(
    ['subject', 'reference'],
    (p) => `সতর্কতা: ${p.subject} (${p.reference})`,
    (p) => `Alert: ${p.subject} (${p.reference})`,
  ),
} as const;

export type MessageTemplate = keyof typeof messageTemplates;
export type MessageParams<T extends MessageTemplate> =
  (typeof messageTemplates)[T] extends TemplateDefinition<infer P> ? Readonly<Record<P, string>> : never;

export const messageChannels = ['sms', 'alert'] as const;
export type MessageChannel = (typeof messageChannels)[number];

export interface RenderedMessage {
  readonly bn: string;
  readonly en: string;
  /** What is sent: Bangla, a newline, English. */
  readonly text: string;
}

export function isMessageTemplate(name: string): name is MessageTemplate {
  return Object.hasOwn(messageTemplates, name);
}

export function renderMessage<T extends MessageTemplate>(
  template: T,
  params: MessageParams<T>,
): RenderedMessage {
  const entry = messageTemplates[template] as unknown as TemplateDefinition<string>;
  const values = params as Record<string, string>;
  for (const name of entry.params) {
    if (typeof values[name] !== 'string')
      throw new TypeError(`message ${template}: parameter ${name} is missing`);
  }
  const bn = entry.bn(values);
  const en = entry.en(values);
  return { bn, en, text: `${bn}\n${en}` };
}
