/**
 * `then`, without a promise when the value is already there: the hot path
 * (a cached key, a pool whose lease covers the charge) answers synchronously,
 * and every step that may wait takes both a value and a promise.
 */
export function after<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
