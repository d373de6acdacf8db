import fc from 'fast-check';

/** Strings people use to break parsers, databases, logs and pages. */
export const nastyStrings = [
  "' OR '1'='1",
  "'; drop table registrations; --",
  '" OR ""="',
  '1; select pg_sleep(10)',
  '$(reboot)',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, meant literally
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u202eevil\u202c',
  'a\u200b\u200c\u200db',
  'e\u0301\u0301\u0301\u0301',
  '\ud800',
  '\udfff\ud800',
  '০১২৩৪৫৬৭৮৯',
  'মোঃ রহিম উদ্দিন',
  '🇧🇩🇲🇾',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  '',
  ' ',
  'null',
];

const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n));

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  hugeString,
  fc.integer(),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    1e308,
    -1e308,
    2 ** 64,
    -1,
    0,
    0.5,
    -0.0001,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...nastyStrings), fc.string({ maxLength: 10 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** Raw bodies that are not what they claim: invalid UTF-8, deep nesting, truncated JSON. */
export const hostileRawBodies: (string | Uint8Array)[] = [
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  new Uint8Array([0xff, 0xfe, 0xfd]),
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
  '{"a": 1,',
  '{"a": 1}}',
  '"just a string"',
  '12345',
  'null',
  '[]',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"admin": true}}}',
];

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

export function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 20; i++) s = components[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

/**
 * An object with every property the schema names, each holding a hostile value of any type, and
 * sometimes a well-typed-looking one nested the schema's way: random bodies that reach the field
 * validators instead of failing at the top level.
 */
export function hostileBodyFor(
  schema: Schema | undefined,
  components: Record<string, Schema>,
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const props = s?.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0) return hostileValue;
  const fields = Object.fromEntries(
    names.map((name) => {
      const inner = resolve(props[name], components);
      const nested = inner?.properties ? hostileBodyFor(inner, components) : hostileValue;
      return [name, fc.oneof(hostileValue, nested)];
    }),
  );
  return fc.record(fields, { requiredKeys: [] });
}
