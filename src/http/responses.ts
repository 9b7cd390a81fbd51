import { RequestHandler } from 'express';

const MAX_BODY_KIB = 256;
/** The largest request body any route reads: /graphql and REST alike (as body-parser's limit, and in messages). */
export const MAX_BODY_BYTES = `${MAX_BODY_KIB}kb`;
/** The same, in bytes. */
export const MAX_BODY_LENGTH = MAX_BODY_KIB * 1024;

/**
 * Answers can carry a raw key, and every answer is one caller's view at one
 * moment: no cache along the way may keep one, refusals included.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** What a body parser's 4xx means to the client, or null for any other error. */
export function bodyReadProblem(error: unknown): { status: number; tooLarge: boolean; message: string } | null {
  const parser = error as { status?: unknown; type?: unknown } | null;
  if (typeof parser?.status !== 'number' || parser.status < 400 || parser.status >= 500) return null;
  if (parser.type === 'entity.parse.failed')
    return { status: parser.status, tooLarge: false, message: 'The request body is not valid JSON' };
  if (parser.type === 'entity.too.large') {
    return { status: parser.status, tooLarge: true, message: `The request body is larger than ${MAX_BODY_BYTES}` };
  }
  return { status: parser.status, tooLarge: false, message: 'The request body cannot be read' };
}
