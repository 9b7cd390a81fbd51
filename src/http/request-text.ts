import { BadUserInputError } from '../shared/errors';
import { malformedTextAt } from '../shared/text';

/**
 * The refusal of a JSON body holding half a character (a lone surrogate such
 * as `"\ud800@x.com"`), or null: checked before anything reads the body, since
 * no database stores one and it would otherwise fail deep inside a write as an
 * internal error. Query strings need no check: percent-encoding cannot spell a
 * lone surrogate.
 */
export function malformedTextRefusal(body: unknown): BadUserInputError | null {
  const at = body === undefined ? null : malformedTextAt(body);
  return at === null ? null : new BadUserInputError(at, `${at} is not valid Unicode text: it holds half of a surrogate pair`);
}
