/**
 * Canonical JSON: the byte-exact serialisation used wherever a hash is taken over structured data
 * (audit chain, draw manifests). It follows RFC 8785 (JCS) for the values this platform produces:
 * object keys sorted by UTF-16 code units, no insignificant whitespace, strings escaped as
 * ECMAScript JSON.stringify does. Numbers must be safe integers (money and counts are integers here;
 * a float in a hashed structure is a bug), bigints are written as decimal strings, `undefined`
 * members are omitted, and Dates are written as ISO-8601 UTC strings.
 */
export type CanonicalValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | undefined
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  return write(value, '$');
}

function write(value: CanonicalValue, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`canonicalJson: ${path} is not a safe integer (${value})`);
      }
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'string':
      return JSON.stringify(value);
    case 'undefined':
      throw new TypeError(`canonicalJson: ${path} is undefined`);
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`))).join(',')}]`;
      }
      const record = value as { readonly [key: string]: CanonicalValue };
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareUtf16);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} has unsupported type ${typeof value}`);
  }
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
