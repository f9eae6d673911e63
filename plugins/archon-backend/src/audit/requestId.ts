import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

const HEADER = 'x-request-id';
/** A caller's own id is kept when it is short and plain, so it can be searched for. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives every request an id (the caller's `X-Request-Id`, or a new one), echoed in the response. */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers[HEADER];
    const id =
      typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
    req.headers[HEADER] = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/** The id {@link requestIds} gave the request. */
export function requestIdOf(
  req: Request<any, any, any, any>,
): string | undefined {
  const id = req.headers[HEADER];
  return typeof id === 'string' ? id : undefined;
}
