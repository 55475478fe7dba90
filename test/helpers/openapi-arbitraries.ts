import fc from 'fast-check';

/**
 * fast-check arbitraries for requests built from an OpenAPI 3.1 document read at run time, so every
 * route any helper adds is fuzzed without touching this file. Values follow each parameter's and
 * body's JSON schema (so requests get past the first validation) mixed with hostile values: NUL and
 * other controls, lone surrogates, huge strings, impossible dates, header injection, wrong types.
 */

type Schema = Record<string, unknown>;
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};
type Operation = {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};
export type FuzzRequest = { method: string; template: string; url: string; init: RequestInit; label: string };

export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'SKU\u0000',
  '\u0007bell',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  'line\nbreak',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  'A'.repeat(3000),
  'é'.repeat(2_800),
  'x'.repeat(70_000),
  '0000-01-01',
  '9999-12-31',
  '2026-02-30',
  '1999-12-31',
  '2101-01-01',
  '2099-01-01T00:00:00Z',
  'not-a-date',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  'file:///etc/passwd',
  'http://',
  'https://ok.example/p?q=1',
  'Jane\r\nBcc: injected@example.com',
  'X\r\nX-Injected: 1',
  '=?utf-8?q?=0D=0ABcc:_x@example.com?=',
  '<script>alert(1)</script>',
  "' or 1=1--",
  '{{constructor.constructor}}',
  '%00',
  '../../etc/passwd',
  'e\u0301',
  '👍🏽',
  '\u202etxt.exe',
  'bomb+1@gmail.com',
  'b.o.m.b@googlemail.com',
  'jane@example.com',
  'null',
  '-1',
  '1e309',
];

/** Percent-encodes for a path or query, sending a lone surrogate as the invalid UTF-8 bytes it would be. */
export function encodeLoose(s: string): string {
  return s
    .split(/([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/)
    .map((part, i) => (i % 2 === 1 ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

/** What a header can carry (Latin-1 without CR/LF/NUL): the fetch API refuses anything else. */
export const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '?');

export function resolve(doc: OpenApiDoc, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++)
    s = doc.components?.schemas?.[(s.$ref as string).split('/').at(-1)!] ?? {};
  return s;
}

/** A value that fits `schema` most of the time, and a hostile one otherwise. */
export function fromSchema(
  doc: OpenApiDoc,
  raw: Schema | undefined,
  known: { strings: string[] },
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const hostile = fc.constantFrom<unknown>(...HOSTILE_STRINGS, 0, -1, 1.5, 2 ** 31, true, null, [], {});
  if (depth > 4) return hostile;
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return fc.oneof(...options.map((o) => fromSchema(doc, o, known, depth + 1)), hostile);
  if (Array.isArray(schema.enum))
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...(schema.enum as unknown[])) },
      { weight: 1, arbitrary: hostile },
    );
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const typed = types.filter((t) => t !== 'null').map((t) => typedArb(doc, t, schema, known, depth));
  if (types.includes('null')) typed.push(fc.constant(null));
  if (typed.length === 0) typed.push(fc.jsonValue({ maxDepth: 2 }));
  // Nested fields are hostile less often, so whole bodies still get past validation regularly.
  return fc.oneof({ weight: depth === 0 ? 4 : 12, arbitrary: fc.oneof(...typed) }, { weight: 1, arbitrary: hostile });
}

function typedArb(
  doc: OpenApiDoc,
  type: string | undefined,
  schema: Schema,
  known: { strings: string[] },
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': {
      const max = Math.min(Number(schema.maxLength ?? 40), 60);
      const pattern = String(schema.pattern ?? '');
      const looksDate = /date/i.test(String(schema.format ?? '')) || pattern.includes('\\d{4}');
      return fc.oneof(
        // Plain printable text most of the time (so bodies pass validation and reach the database)…
        fc.string({
          unit: fc.constantFrom(...'ABCXYZabcxyz0189 -_#/.é'),
          minLength: Math.max(1, Number(schema.minLength ?? 0)),
          maxLength: Math.max(max, 1),
        }),
        // …and any ASCII, controls included.
        fc.string({
          minLength: Number(schema.minLength ?? 0),
          maxLength: Math.max(max, Number(schema.minLength ?? 0)),
        }),
        fc.constantFrom(...known.strings),
        schema.format === 'uri' ? fc.webUrl({ validSchemes: ['https', 'http'] }) : fc.constantFrom('x'),
        looksDate
          ? fc
              .date({ min: new Date('1990-01-01'), max: new Date('2110-01-01'), noInvalidDate: true })
              .map((d) => d.toISOString().slice(0, 10))
          : fc.constantFrom('x'),
        fc.string({ unit: 'binary', maxLength: 20 }),
      );
    }
    case 'integer':
      return fc.oneof(
        fc.integer({ min: Number(schema.minimum ?? -5), max: Math.min(Number(schema.maximum ?? 1000), 1000) }),
        fc.constantFrom(-1, 2 ** 31, 2 ** 53, 0),
      );
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(doc, schema.items as Schema, known, depth + 1), { maxLength: 4 });
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const model = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, fromSchema(doc, v, known, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every operation of the document as [method, path template, operation]. */
export const operationsOf = (doc: OpenApiDoc) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
