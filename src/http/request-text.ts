import { RequestHandler, Response } from 'express';
import { BadUserInputError, KeywardError } from '../shared/errors';
import { malformedTextAt } from '../shared/text';

/**
 * Refuses a JSON body holding half a character (a lone surrogate such as
 * `"\ud800@x.com"`) before anything reads it: no database stores one, and it
 * would otherwise fail deep inside a write as an internal error. Query strings
 * need no check: percent-encoding cannot spell a lone surrogate.
 */
export function refuseMalformedText(onRefused: (res: Response, error: KeywardError) => void): RequestHandler {
  return (req, res, next) => {
    const at = req.body === undefined ? null : malformedTextAt(req.body);
    if (at === null) return next();
    onRefused(res, new BadUserInputError(at, `${at} is not valid Unicode text: it holds half of a surrogate pair`));
  };
}
