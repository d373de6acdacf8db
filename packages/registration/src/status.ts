import { AppError } from '@g2g/domain';

/**
 * A registration's life: `registered` at the centre; `withdrawn` by the centre on the worker's
 * request; then, set by the draw engine and its ceremony, `in_draw_pool` when the window's pool is
 * frozen, and `selected`, `waitlisted` (with a position) or `not_selected` when the draw is published.
 */
export const registrationStatuses = [
  'registered',
  'withdrawn',
  'in_draw_pool',
  'selected',
  'waitlisted',
  'not_selected',
] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/** The outcomes a published draw gives to the registrations in its pool. */
export const drawOutcomes = ['selected', 'waitlisted', 'not_selected'] as const;
export type DrawOutcome = (typeof drawOutcomes)[number];

/** Withdrawal is possible only before the pool is frozen: afterwards the pool's hash is published. */
export function assertCanWithdraw(status: RegistrationStatus): void {
  if (status !== 'registered') {
    throw new AppError(
      'rule-violated',
      status === 'withdrawn'
        ? 'This registration is already withdrawn.'
        : 'This registration is in a draw pool or has a draw result; it can no longer be withdrawn.',
    );
  }
}

/** Contact details and skills stay correctable while the registration is alive. */
export function assertCanAmend(status: RegistrationStatus): void {
  if (status === 'withdrawn' || status === 'not_selected') {
    throw new AppError('rule-violated', `A ${status.replace('_', ' ')} registration cannot be amended.`);
  }
}

export interface NextStep {
  readonly en: string;
  readonly bn: string;
}

/** What the worker should do next, shown by the self-service status check. */
export function nextStep(status: RegistrationStatus, waitlistPosition: number | null): NextStep {
  switch (status) {
    case 'registered':
      return {
        en: 'You are registered. The draw is held after the window closes; nobody can improve your chance, and there is nothing to pay anyone.',
        bn: 'আপনার নিবন্ধন সম্পন্ন হয়েছে। নিবন্ধনের সময় শেষ হলে লটারি হবে; কেউ আপনার সুযোগ বাড়াতে পারে না, কাউকে কোনো টাকা দেবেন না।',
      };
    case 'in_draw_pool':
      return {
        en: 'You are in the draw pool. Results are published after the public draw and sent to you by SMS.',
        bn: 'আপনি লটারির তালিকায় আছেন। প্রকাশ্য লটারির পর ফলাফল প্রকাশ করা হবে এবং এসএমএসে জানানো হবে।',
      };
    case 'selected':
      return {
        en: 'You were selected. Wait for the official SMS with the date for your medical check and document submission; pay only the fees on the official list.',
        bn: 'আপনি নির্বাচিত হয়েছেন। স্বাস্থ্য পরীক্ষা ও কাগজপত্র জমার তারিখসহ সরকারি এসএমএসের অপেক্ষা করুন; শুধু সরকারি তালিকার ফি দিন।',
      };
    case 'waitlisted':
      return {
        en: `You are on the waiting list${waitlistPosition === null ? '' : ` at position ${waitlistPosition}`}. You will be told by SMS if a place opens.`,
        bn: `আপনি অপেক্ষমাণ তালিকায় আছেন${waitlistPosition === null ? '' : ` (ক্রম ${waitlistPosition})`}। জায়গা খালি হলে এসএমএসে জানানো হবে।`,
      };
    case 'not_selected':
      return {
        en: 'You were not selected in this draw. You may register again in a future window.',
        bn: 'এই লটারিতে আপনি নির্বাচিত হননি। পরবর্তী নিবন্ধনে আবার নিবন্ধন করতে পারবেন।',
      };
    case 'withdrawn':
      return {
        en: 'This registration was withdrawn. You may register again at your union centre while a window is open.',
        bn: 'এই নিবন্ধন প্রত্যাহার করা হয়েছে। নিবন্ধন চলাকালে ইউনিয়ন ডিজিটাল সেন্টারে আবার নিবন্ধন করতে পারবেন।',
      };
    default: {
      const never: never = status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}
