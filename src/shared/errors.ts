import { GraphQLError } from 'graphql';

/**
 * The error codes a client can rely on. Anything else that escapes a resolver
 * is logged and masked as INTERNAL_SERVER_ERROR by the server's formatError.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  RATE_LIMITED = 'RATE_LIMITED',
  DEVELOPER_API_DISABLED = 'DEVELOPER_API_DISABLED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  IP_NOT_ALLOWED = 'IP_NOT_ALLOWED',
  USAGE_EXCEEDED = 'USAGE_EXCEEDED',
}

export abstract class KeywardError extends GraphQLError {
  abstract readonly httpStatus: number;

  protected constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export class UnauthenticatedError extends KeywardError {
  readonly httpStatus = 401;
  /**
   * @param reason why, for metrics only (e.g. the key check's REVOKED); never
   *   sent to the client, whose answer the message already explains.
   */
  constructor(
    message = 'Authentication required',
    readonly reason?: string,
  ) {
    super(message, ErrorCode.UNAUTHENTICATED);
  }
}

export class ForbiddenError extends KeywardError {
  readonly httpStatus = 403;
  constructor(message: string) {
    super(message, ErrorCode.FORBIDDEN);
  }
}

/** Also used for other tenants' objects: their existence is never revealed. */
export class NotFoundError extends KeywardError {
  readonly httpStatus = 404;
  constructor(what: string, id: string | number) {
    super(`${what} ${id} not found`, ErrorCode.NOT_FOUND);
  }
}

export class BadUserInputError extends KeywardError {
  readonly httpStatus = 400;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, ErrorCode.BAD_USER_INPUT, { field });
  }
}

export class LimitExceededError extends KeywardError {
  readonly httpStatus = 422;
  constructor(message: string, limit: number) {
    super(message, ErrorCode.LIMIT_EXCEEDED, { limit });
  }
}

/**
 * The account's Developer API flag is off (the platform operator's switch):
 * its keys are refused and no key can be created. The keys themselves are
 * untouched, so turning the flag back on restores them as they were.
 */
export class DeveloperApiDisabledError extends KeywardError {
  readonly httpStatus = 403;
  constructor(message = "This account's Developer API is disabled; the platform operator can turn it on") {
    super(message, ErrorCode.DEVELOPER_API_DISABLED);
  }
}

/**
 * A working key used from an address outside its allowedIps. A 403, not a
 * 401: the key is good, only not from here; it is not counted as a failed
 * authentication of the address.
 */
export class IpNotAllowedError extends KeywardError {
  readonly httpStatus = 403;
  constructor(message: string) {
    super(message, ErrorCode.IP_NOT_ALLOWED);
  }
}

/**
 * The caller's pool is empty for now (see src/rate-limits). Never a 401: the
 * credential is fine, and the client should wait `retryAfter` seconds.
 */
export class RateLimitedError extends KeywardError {
  readonly httpStatus = 429;
  constructor(message: string, retryAfter: number) {
    super(message, ErrorCode.RATE_LIMITED, { retryAfter });
  }
}

/**
 * The key has no usage credits left (ApiKey.remaining): 429 like a rate
 * limit, but waiting helps only when the key has a refill, so `retryAfter`
 * (seconds until the next refill) is set only then.
 */
export class UsageExceededError extends KeywardError {
  readonly httpStatus = 429;
  constructor(message: string, retryAfter: number | null) {
    super(message, ErrorCode.USAGE_EXCEEDED, retryAfter === null ? {} : { retryAfter });
  }
}

/**
 * Something keyward depends on (the database) did not answer in time: the
 * request may well succeed later, so 503 with `retryAfter` seconds, never a
 * 500 and never a 401 (the credential may be fine).
 */
export class ServiceUnavailableError extends KeywardError {
  readonly httpStatus = 503;
  constructor(message: string, retryAfter: number) {
    super(message, ErrorCode.SERVICE_UNAVAILABLE, { retryAfter });
  }
}
