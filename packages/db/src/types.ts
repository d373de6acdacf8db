import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from 'kysely';

/**
 * The one Database interface. Every table the apps touch is described here; repositories are typed
 * from it. Conventions: `int8`, `numeric` and `date` columns arrive as strings on both drivers (see
 * client.ts) and are mapped deliberately in repositories; `timestamptz` arrives as a Date.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Postgres int8 / bigserial: read as a decimal string, written as string, number or bigint. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, string | number | bigint | undefined, never>;

export interface DivisionTable {
  id: number;
  name: string;
  name_bn: string;
}

export interface DistrictTable {
  id: number;
  division_id: number;
  name: string;
  name_bn: string;
}

export interface UpazilaTable {
  id: number;
  district_id: number;
  name: string;
  name_bn: string;
}

/** A union parishad; each union has one Union Information and Service Centre with a stable code. */
export interface UnionTable {
  id: number;
  upazila_id: number;
  name: string;
  name_bn: string;
  centre_code: string;
}

export interface AuditEventTable {
  id: GeneratedInt8;
  /** Top-level transaction id of the writer; with `id` it fixes the event's place in the chain. */
  txid: ColumnType<string, never, never>;
  occurred_at: Timestamp;
  actor_sub: string;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string;
  payload_digest: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
}

export interface AuditChainTable {
  seq: Int8;
  event_id: Int8;
  prev_hash: string;
  hash: string;
  chained_at: Generated<Date>;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  response_status: number;
  response_body: ColumnType<unknown, string, never>;
  created_at: Generated<Date>;
}

export interface SchemeTable {
  id: string;
  name: string;
  origin_country: string;
  destination_country: string;
  wage_currency: string;
  sectors: string[];
  min_monthly_wage_minor: Int8;
  max_contract_months: number;
  min_age: number;
  max_age: number;
  created_at: Generated<Date>;
  created_by: string;
  updated_at: Generated<Date>;
}

export interface RegistrationWindowTable {
  id: string;
  scheme_id: string;
  name: string;
  sectors: string[];
  min_age: number;
  max_age: number;
  /** date: 'YYYY-MM-DD' */
  age_reference_date: string | null;
  genders: string[];
  citizenship: Generated<string>;
  service_charge_minor: Int8;
  service_charge_currency: string;
  version: Generated<number>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}

export interface RegistrationWindowScheduleTable {
  window_id: string;
  division_id: number;
  opens_at: Timestamp;
  closes_at: Timestamp;
}

export interface RegistrationWindowAmendmentTable {
  window_id: string;
  version: number;
  amended_at: Timestamp;
  amended_by: string;
  reason: string;
  previous: ColumnType<unknown, string, never>;
}

export interface RegistrationTable {
  registration_number: string;
  window_id: string;
  centre_union_id: number;
  permanent_union_id: number;
  id_kind: string;
  /** bytea: HMAC-SHA-256 of the normalised identity number; written with decode(hex). */
  id_hash: ColumnType<Uint8Array, never, never>;
  id_last4: string;
  name_en: string;
  name_bn: string;
  gender: string;
  /** date: 'YYYY-MM-DD' */
  date_of_birth: string;
  mobile: string;
  preferred_sectors: string[];
  education: string;
  trade: string | null;
  skills: Generated<string[]>;
  experience_years: Generated<number>;
  passport_number: string | null;
  status: Generated<string>;
  waitlist_position: number | null;
  channel: string;
  registered_at: Timestamp;
  registered_by: string;
  recorded_at: Generated<Date>;
  withdrawn_at: Timestamp | null;
  withdrawal_reason: string | null;
  /**
   * `status <> 'withdrawn'`, stored (migration 0050): the predicate of the one-active-per-person
   * index. Lookups of an active registration by identity must filter on `active` (not on status),
   * or the planner cannot use that index and scans the table.
   */
  active: GeneratedAlways<boolean>;
}

export interface NumberReservationTable {
  registration_number: string;
  centre_union_id: number;
  block_id: string;
  reserved_at: Timestamp;
  reserved_by: string;
  used_at: Timestamp | null;
  used_as: string | null;
}

export interface RegistrationBatchItemTable {
  centre_union_id: number;
  client_id: string;
  item_digest: string;
  batch_id: string;
  outcome: string;
  registration_number: string;
  void_number: string | null;
  recorded_at: Generated<Date>;
}

export interface OutboxMessageTable {
  id: GeneratedInt8;
  channel: string;
  recipient: string;
  template: string;
  body: string;
  dedupe_key: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_by: string | null;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
  transport_ref: string | null;
  last_error: string | null;
}

export interface StatusCheckThrottleTable {
  key: string;
  window_started_at: Timestamp;
  attempts: number;
  failures: number;
  locked_until: Timestamp | null;
}

export interface EmployerTable {
  id: string;
  legal_name: string;
  country: string;
  company_registration_number: string;
  sector: string;
  address: string;
  contact_name: string;
  contact_email: string | null;
  contact_phone: string;
  status: string;
  status_reason: string | null;
  created_at: Timestamp;
  created_by: string;
  approved_at: Timestamp | null;
  updated_at: Timestamp;
}

/** An order's status; its terms are in the current `demand_order_versions` row. */
export interface DemandOrderTable {
  id: string;
  employer_id: string;
  scheme_id: string;
  status: string;
  version: number;
  workers_approved: number | null;
  reject_reason: string | null;
  close_outcome: string | null;
  close_reason: string | null;
  created_at: Timestamp;
  created_by: string;
  submitted_at: Timestamp | null;
  approved_at: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  updated_at: Timestamp;
}

/** One version of an order's terms; append-only. */
export interface DemandOrderVersionTable {
  demand_order_id: string;
  version: number;
  sector: string;
  job_title: string;
  trade: string | null;
  required_skills: string[];
  workers_requested: number;
  gender: string;
  min_age: number;
  max_age: number;
  wage_currency: string;
  monthly_wage_minor: Int8;
  contract_months: number;
  work_location: string;
  accommodation_provided: boolean;
  accommodation_deduction_minor: Int8;
  accommodation_terms: string;
  food_provided: boolean;
  food_deduction_minor: Int8;
  food_terms: string;
  /** 'YYYY-MM-DD' (date columns arrive as strings). */
  expected_start_date: string;
  workers_approved: number | null;
  reason: string | null;
  recorded_at: Timestamp;
  recorded_by_sub: string;
  recorded_by_role: string;
}

/** One worker allocated to one demand order, followed from selection to arrival. */
export interface PlacementTable {
  id: Generated<string>;
  demand_order_id: string;
  registration_number: string;
  draw_id: string | null;
  stage: string;
  dropout_reason: string | null;
  replaces: string | null;
  replaced_by: string | null;
  selected_at: Timestamp;
  medical_at: Timestamp | null;
  visa_issued_at: Timestamp | null;
  departed_at: Timestamp | null;
  arrived_at: Timestamp | null;
  dropped_out_at: Timestamp | null;
  updated_at: Timestamp;
}

/** A lottery draw and its ceremony state; facts become final as the state advances (trigger). */
export interface DrawTable {
  id: string;
  name: string;
  window_id: string;
  source_draw_id: string | null;
  policy: ColumnType<unknown, string, string>;
  policy_digest: string;
  state: string;
  beacon_name: string | null;
  beacon_value: string | null;
  pool_hash: string | null;
  pool_size: number | null;
  pool_bytes: Int8 | null;
  pool_strata: ColumnType<unknown, string | null, string | null>;
  age_reference_date: string | null;
  frozen_at: Timestamp | null;
  seed: string | null;
  result_hash: string | null;
  result_summary: ColumnType<unknown, string | null, string | null>;
  fairness: ColumnType<unknown, string | null, string | null>;
  fairness_blocking: boolean | null;
  executed_at: Timestamp | null;
  override_reason: string | null;
  manifest: ColumnType<unknown, string | null, string | null>;
  manifest_jws: string | null;
  published_at: Timestamp | null;
  void_reason: string | null;
  voided_from: string | null;
  voided_at: Timestamp | null;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}

export interface DrawCommitmentTable {
  draw_id: string;
  witness_id: string;
  commitment: string;
  committed_at: Timestamp;
}

export interface DrawRevealTable {
  draw_id: string;
  witness_id: string;
  secret: string;
  revealed_at: Timestamp;
}

/** One piece of a canonical pool or result file, in `seq` order; append-only. */
export interface DrawFileChunkTable {
  draw_id: string;
  seq: number;
  bytes: Uint8Array;
}

/** A selected or waitlisted entry of an executed draw (the full result is in the result file). */
export interface DrawResultTable {
  draw_id: string;
  registration_number: string;
  outcome: string;
  rank: number | null;
  stratum: number;
  waitlist_position: number | null;
  order_id: string | null;
  gender: string;
  age: number;
  sectors: string[];
}

/** A signed record of one dropout and its replacement from the waitlist; append-only. */
export interface DrawPromotionTable {
  draw_id: string;
  seq: number;
  dropped_registration_number: string;
  reason: string;
  promoted_registration_number: string | null;
  record: ColumnType<unknown, string, never>;
  jws: string;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface Database {
  divisions: DivisionTable;
  districts: DistrictTable;
  upazilas: UpazilaTable;
  unions: UnionTable;
  audit_events: AuditEventTable;
  audit_chain: AuditChainTable;
  idempotency_keys: IdempotencyKeyTable;
  schemes: SchemeTable;
  registration_windows: RegistrationWindowTable;
  registration_window_schedule: RegistrationWindowScheduleTable;
  registration_window_amendments: RegistrationWindowAmendmentTable;
  registrations: RegistrationTable;
  number_reservations: NumberReservationTable;
  registration_batch_items: RegistrationBatchItemTable;
  outbox_messages: OutboxMessageTable;
  status_check_throttle: StatusCheckThrottleTable;
  employers: EmployerTable;
  demand_orders: DemandOrderTable;
  demand_order_versions: DemandOrderVersionTable;
  placements: PlacementTable;
  draws: DrawTable;
  draw_commitments: DrawCommitmentTable;
  draw_reveals: DrawRevealTable;
  draw_pool_chunks: DrawFileChunkTable;
  draw_result_chunks: DrawFileChunkTable;
  draw_results: DrawResultTable;
  draw_promotions: DrawPromotionTable;
  fee_policy_versions: FeePolicyVersionTable;
  fee_exchange_rates: FeeExchangeRateTable;
  fee_payees: FeePayeeTable;
  fee_payee_licences: FeePayeeLicenceTable;
  fee_entries: FeeEntryTable;
  fee_findings: FeeFindingTable;
  fee_finding_resolutions: FeeFindingResolutionTable;
  fee_worker_reports: FeeWorkerReportTable;
}

export type AuditEventRow = Selectable<AuditEventTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;

// Fee-cap tracking (migration 0040).
export interface FeePolicyVersionTable {
  id: string;
  scheme_id: string;
  currency: string;
  match_window_days: number;
  /** date: 'YYYY-MM-DD' */
  effective_from: string;
  effective_to: string | null;
  cap: ColumnType<unknown, string, never>;
  categories: ColumnType<unknown, string, never>;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface FeeExchangeRateTable {
  id: GeneratedInt8;
  base: string;
  quote: string;
  /** Exact decimal text. */
  rate: string;
  date: string;
  source: string;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface FeePayeeTable {
  registry_id: string;
  kind: string;
  name: string;
  recorded_at: Timestamp;
  recorded_by: string;
}

export interface FeePayeeLicenceTable {
  registry_id: string;
  number: string;
  valid_from: string;
  valid_to: string | null;
  recorded_at: Timestamp;
  recorded_by: string;
}

/** One posted fee entry (payment or reversal); append-only. */
export interface FeeEntryTable {
  seq: GeneratedInt8;
  id: string;
  registration_number: string;
  scheme_id: string;
  kind: string;
  reversal_of: string | null;
  reason: string | null;
  category: string;
  amount_minor: Int8;
  currency: string;
  payer: string;
  payee_registry_id: string | null;
  payee_name: string | null;
  value_date: string;
  receipt_ref: string | null;
  source: string;
  recorded_by_sub: string;
  recorded_by_role: string;
  recorded_at: Timestamp;
  scheme_amount_minor: Int8;
  scheme_currency: string;
  rate: ColumnType<unknown, string | null, never>;
  policy_version_id: string;
  payee_check: ColumnType<unknown, string, never>;
}

export interface FeeFindingTable {
  id: string;
  registration_number: string;
  scheme_id: string;
  key: string;
  occurrence: number;
  kind: string;
  entry_id: string | null;
  detail: ColumnType<unknown, string, never>;
  raised_by: string;
  raised_at: Timestamp;
}

export interface FeeFindingResolutionTable {
  finding_id: string;
  registration_number: string;
  resolved_by: string;
  resolved_at: Timestamp;
}

export interface FeeWorkerReportTable {
  id: string;
  registration_number: string;
  report: ColumnType<unknown, string, never>;
  code_hash: string;
  status: Generated<string>;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  confirmed_at: Timestamp | null;
  entry_id: string | null;
}
