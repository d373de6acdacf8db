import { formatMoney } from '@g2g/domain';
import { escapeHtml } from '@g2g/http';
import { dhakaDateTime, toBanglaDigits } from '@g2g/registration';
import type { RegistrationView } from './views.ts';

/**
 * The slip a worker takes home, in Bangla and English: printable HTML, or plain text for thermal
 * printers and SMS-era tooling. Every value is escaped (HTML) or stripped of control characters
 * (text); the identity number appears only as its last four digits.
 */
const GENDER = {
  male: { en: 'Male', bn: 'পুরুষ' },
  female: { en: 'Female', bn: 'নারী' },
  other: { en: 'Other', bn: 'অন্যান্য' },
} as const;

const STATUS_BN = {
  registered: 'নিবন্ধিত',
  withdrawn: 'প্রত্যাহারকৃত',
  in_draw_pool: 'লটারির তালিকায়',
  selected: 'নির্বাচিত',
  waitlisted: 'অপেক্ষমাণ',
  not_selected: 'নির্বাচিত নয়',
} as const;

interface Line {
  readonly en: string;
  readonly bn: string;
  readonly value: string;
  readonly valueBn?: string;
}

function lines(r: RegistrationView): Line[] {
  const registeredAt = `${dhakaDateTime(new Date(r.registeredAt))} (Dhaka)`;
  const charge = formatMoney({
    amountMinor: BigInt(r.serviceCharge.amountMinor),
    currency: r.serviceCharge.currency,
  });
  return [
    {
      en: 'Registration number',
      bn: 'নিবন্ধন নম্বর',
      value: r.displayNumber,
      valueBn: toBanglaDigits(r.displayNumber),
    },
    { en: 'Window', bn: 'নিবন্ধন পর্ব', value: r.window.name },
    { en: 'Name', bn: 'নাম', value: r.worker.nameEn, valueBn: r.worker.nameBn },
    {
      en: 'Gender',
      bn: 'লিঙ্গ',
      value: GENDER[r.worker.gender].en,
      valueBn: GENDER[r.worker.gender].bn,
    },
    {
      en: 'Date of birth',
      bn: 'জন্ম তারিখ',
      value: r.worker.dateOfBirth,
      valueBn: toBanglaDigits(r.worker.dateOfBirth),
    },
    {
      en: r.worker.identity.kind === 'nid' ? 'National ID (last 4)' : 'Birth registration (last 4)',
      bn: r.worker.identity.kind === 'nid' ? 'জাতীয় পরিচয়পত্র (শেষ ৪)' : 'জন্ম নিবন্ধন (শেষ ৪)',
      value: `…${r.worker.identity.last4}`,
      valueBn: `…${toBanglaDigits(r.worker.identity.last4)}`,
    },
    { en: 'Mobile', bn: 'মোবাইল', value: r.worker.mobile, valueBn: toBanglaDigits(r.worker.mobile) },
    {
      en: 'Permanent address (union)',
      bn: 'স্থায়ী ঠিকানা (ইউনিয়ন)',
      value: r.worker.permanentUnion.name,
      valueBn: r.worker.permanentUnion.nameBn,
    },
    { en: 'Preferred sectors', bn: 'পছন্দের খাত', value: r.worker.preferredSectors.join(', ') },
    {
      en: 'Centre',
      bn: 'কেন্দ্র',
      value: `${r.centre.name} (${r.centre.code})`,
      valueBn: `${r.centre.nameBn} (${r.centre.code})`,
    },
    { en: 'Registered at', bn: 'নিবন্ধনের সময়', value: registeredAt, valueBn: toBanglaDigits(registeredAt) },
    { en: 'Service charge paid', bn: 'সেবা মূল্য', value: charge, valueBn: toBanglaDigits(charge) },
    {
      en: 'Status',
      bn: 'অবস্থা',
      value: r.status.replace('_', ' '),
      valueBn: STATUS_BN[r.status],
    },
  ];
}

const NOTICE = {
  en: 'Selection is by public lottery among all registrants; the order of registration does not matter. Nobody can improve your chance: pay no one. Check your status with your number and date of birth.',
  bn: 'সকল নিবন্ধিতদের মধ্য থেকে প্রকাশ্য লটারিতে বাছাই হবে; নিবন্ধনের ক্রম কোনো প্রভাব ফেলে না। কেউ আপনার সুযোগ বাড়াতে পারে না: কাউকে টাকা দেবেন না। নম্বর ও জন্ম তারিখ দিয়ে অবস্থা জানুন।',
};

export function receiptHtml(r: RegistrationView): string {
  const rows = lines(r)
    .map(
      (l) =>
        `<tr><th><span lang="bn">${escapeHtml(l.bn)}</span><br>${escapeHtml(l.en)}</th><td><span lang="bn">${escapeHtml(l.valueBn ?? l.value)}</span>${l.valueBn !== undefined && l.valueBn !== l.value ? `<br>${escapeHtml(l.value)}` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Registration receipt ${escapeHtml(r.displayNumber)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Noto Sans Bengali","Kalpurush",system-ui,sans-serif;max-width:40em;margin:1em auto;color:#000}
h1{font-size:1.2em;margin:0 0 .5em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #444;padding:.3em .5em;text-align:left;vertical-align:top}th{width:40%;font-weight:600}
.number{font-size:1.6em;letter-spacing:.05em}p{font-size:.9em}@media print{button{display:none}}
</style></head>
<body>
<h1><span lang="bn">নিবন্ধনের রসিদ</span> — Registration receipt</h1>
<p class="number"><strong>${escapeHtml(r.displayNumber)}</strong></p>
<table>
${rows}
</table>
<p lang="bn">${escapeHtml(NOTICE.bn)}</p>
<p>${escapeHtml(NOTICE.en)}</p>
</body></html>
`;
}

/** Control characters (the `Cc` category): never printed. */
const CONTROL = /\p{Cc}/gu;

export function receiptText(r: RegistrationView): string {
  const clean = (s: string) => s.replace(CONTROL, '').replace(/\s+/g, ' ');
  const out = ['নিবন্ধনের রসিদ / Registration receipt', '='.repeat(40)];
  for (const l of lines(r)) {
    out.push(`${clean(l.bn)} / ${clean(l.en)}:`);
    out.push(
      `  ${clean(l.valueBn ?? l.value)}${l.valueBn !== undefined && l.valueBn !== l.value ? ` / ${clean(l.value)}` : ''}`,
    );
  }
  out.push('-'.repeat(40), clean(NOTICE.bn), clean(NOTICE.en), '');
  return out.join('\n');
}
