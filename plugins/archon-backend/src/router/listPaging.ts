import type { RequestHandler } from 'express';
import { retiredParameter } from '@archon/plugin-archon-node';

const CURSOR_REF = '#/components/parameters/Cursor';

/** A list operation of the spec: a GET that pages with the shared `cursor` parameter. */
export interface ListOperation {
  template: string;
  operationId: string;
  regex: RegExp;
}

type Operation = {
  operationId?: string;
  parameters?: ReadonlyArray<{ $ref?: string }>;
};
/** The served spec (a deeply readonly literal), as far as this reads it. */
type SpecLike = { paths: object };

/** Every list operation of the spec, i.e. every GET that takes the shared `cursor`. */
export function listOperations(spec: SpecLike): ListOperation[] {
  return Object.entries(
    spec.paths as Record<string, Record<string, Operation>>,
  ).flatMap(([template, item]) => {
    const get = item.get;
    if (!get?.parameters?.some(p => p.$ref === CURSOR_REF)) return [];
    // Path parameters may span segments (configuration and znode paths).
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '.+')}/?$`);
    return [{ template, operationId: get.operationId ?? template, regex }];
  });
}

/**
 * Answers `offset` or `before` on a list operation with a 400 that names
 * `cursor`, before validation would call it just an unknown parameter: lists
 * page with `limit` and `cursor` only, and no released client sends the old
 * names.
 */
export function retiredPagingParameters(spec: SpecLike): RequestHandler {
  const lists = listOperations(spec);
  return (req, _res, next) => {
    if (req.method !== 'GET') return next();
    const retired = ['offset', 'before'].find(
      name => req.query[name] !== undefined,
    );
    if (!retired || !lists.some(l => l.regex.test(req.path))) return next();
    return next(retiredParameter(retired));
  };
}
