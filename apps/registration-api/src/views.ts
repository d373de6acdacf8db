import type { Geography, Registration, StoredWindow } from '@g2g/db';
import { formatRegistrationNumber } from '@g2g/registration';
import type { z } from '@hono/zod-openapi';
import type { registrationSchema } from './routes/registrations/schema.ts';

export type RegistrationView = z.infer<typeof registrationSchema>;

function placeOf(geo: Geography, unionId: number) {
  const u = geo.unions.get(unionId);
  return {
    code: u?.centreCode ?? `U${String(unionId).padStart(4, '0')}`,
    name: u?.name ?? '',
    nameBn: u?.nameBn ?? '',
  };
}

/** A registration as the operator sees it, and as its receipt prints it. */
export function registrationView(
  r: Registration,
  window: Pick<StoredWindow, 'id' | 'name' | 'serviceCharge'>,
  geo: Geography,
): RegistrationView {
  return {
    registrationNumber: r.registrationNumber,
    displayNumber: formatRegistrationNumber(r.registrationNumber),
    status: r.status,
    waitlistPosition: r.waitlistPosition,
    channel: r.channel,
    window: { id: window.id, name: window.name },
    centre: placeOf(geo, r.centreUnionId),
    registeredAt: r.registeredAt.toISOString(),
    serviceCharge: {
      amountMinor: Number(window.serviceCharge.amountMinor),
      currency: window.serviceCharge.currency,
    },
    worker: {
      nameEn: r.nameEn,
      nameBn: r.nameBn,
      gender: r.gender,
      dateOfBirth: r.dateOfBirth,
      identity: { kind: r.idKind, last4: r.idLast4 },
      mobile: r.mobile,
      permanentUnion: placeOf(geo, r.permanentUnionId),
      preferredSectors: [...r.preferredSectors],
      education: r.education,
      trade: r.trade,
      skills: [...r.skills],
      experienceYears: r.experienceYears,
      passportNumber: r.passportNumber,
    },
    withdrawal:
      r.withdrawnAt && r.withdrawalReason
        ? { at: r.withdrawnAt.toISOString(), reason: r.withdrawalReason }
        : null,
    receiptUrl: `/v1/registrations/${r.registrationNumber}/receipt`,
  };
}
