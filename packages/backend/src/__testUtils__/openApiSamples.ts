/**
 * Minimal valid requests for the operations of an OpenAPI 3 document, so a
 * test can call every route the spec declares (and every route added later)
 * without a hand-written list. Values are the smallest that satisfy the
 * schema; `overrides` give realistic values by parameter name.
 */

type Schema = Record<string, any>;
export type OpenApiDocument = {
  paths: Record<string, Record<string, any>>;
  components?: Record<string, any>;
};

export interface SampleOperation {
  method: string;
  /** The path as the spec writes it, e.g. `/api/archon/kafka/{cluster}/topics`. */
  specPath: string;
  operationId?: string;
  /** With path parameters filled in and required query parameters appended. */
  url: string;
  body?: unknown;
}

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  while (s.$ref) {
    const parts = String(s.$ref).replace(/^#\//, '').split('/');
    s = parts.reduce((node: any, key) => node?.[key], doc) ?? {};
  }
  return s;
}

/** The smallest value the schema accepts (required properties only). */
export function sampleOf(
  doc: OpenApiDocument,
  schema: Schema | undefined,
  depth = 0,
): unknown {
  const s = resolve(doc, schema);
  if (depth > 8) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return sampleOf(doc, variants[0], depth + 1);
  if (s.allOf) {
    return Object.assign(
      {},
      ...s.allOf.map((part: Schema) => sampleOf(doc, part, depth + 1) ?? {}),
    );
  }
  const type = Array.isArray(s.type)
    ? s.type.find((t: string) => t !== 'null')
    : s.type;
  switch (type ?? (s.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? [])
        out[key] = sampleOf(doc, s.properties?.[key], depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () =>
        sampleOf(doc, s.items, depth + 1),
      );
    case 'integer':
    case 'number':
      return (
        s.minimum ??
        (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1)
      );
    case 'boolean':
      return false;
    case 'string':
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return undefined;
  }
}

/** Every operation of the document with a sample request. */
export function sampleOperations(
  doc: OpenApiDocument,
  overrides: {
    pathParams: Record<string, string>;
    bodies?: Record<string, unknown>;
  },
): SampleOperation[] {
  const operations: SampleOperation[] = [];
  for (const [specPath, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
        p => resolve(doc, p),
      );
      let url = specPath;
      const query: string[] = [];
      for (const p of params) {
        const given = overrides.pathParams[p.name];
        const value = given ?? String(sampleOf(doc, p.schema));
        if (p.in === 'path')
          url = url.replace(`{${p.name}}`, encodeURIComponent(value));
        else if (p.in === 'query' && p.required)
          query.push(`${p.name}=${encodeURIComponent(value)}`);
      }
      const bodySchema = resolve(doc, op.requestBody)?.content?.[
        'application/json'
      ]?.schema;
      const key = op.operationId ?? `${method} ${specPath}`;
      let body = bodySchema ? sampleOf(doc, bodySchema) : undefined;
      if (overrides.bodies && key in overrides.bodies)
        body = overrides.bodies[key];
      operations.push({
        method,
        specPath,
        operationId: op.operationId,
        url: query.length ? `${url}?${query.join('&')}` : url,
        body,
      });
    }
  }
  return operations;
}
