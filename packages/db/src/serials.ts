import { registrationNumberFromSerial } from '@g2g/registration';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './types.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Takes `count` serials from the one sequence behind every registration number (online
 * registrations and offline reservations alike) in one round trip.
 */
export async function allocateSerials(db: Executor, count: number): Promise<bigint[]> {
  if (count <= 0) return [];
  const { rows } = await sql<{ serial: string }>`
    select nextval('registration_serial_seq')::text as serial from generate_series(1, ${count}::int)
  `.execute(db);
  return rows.map((r) => BigInt(r.serial));
}

/** `count` fresh registration numbers (serial + Damm check digit). */
export async function allocateRegistrationNumbers(db: Executor, count: number): Promise<string[]> {
  return (await allocateSerials(db, count)).map(registrationNumberFromSerial);
}

/**
 * A process-local supply of registration numbers for the single-registration path, refilled from the
 * sequence a block at a time so that a registration costs no extra round trip. Numbers a process
 * held but never used (it stopped, or a request turned out a duplicate) are simply never issued:
 * numbers are unique, not dense, and their order decides nothing.
 */
export class RegistrationNumberPool {
  readonly #db: Kysely<Database>;
  readonly #blockSize: number;
  #numbers: string[] = [];
  #refill: Promise<void> | undefined;

  constructor(db: Kysely<Database>, blockSize = 64) {
    this.#db = db;
    this.#blockSize = blockSize;
  }

  async next(): Promise<string> {
    for (;;) {
      const number = this.#numbers.pop();
      if (number !== undefined) return number;
      this.#refill ??= allocateRegistrationNumbers(this.#db, this.#blockSize)
        .then((numbers) => {
          this.#numbers = numbers.reverse();
        })
        .finally(() => {
          this.#refill = undefined;
        });
      await this.#refill;
    }
  }
}
