import { MessageDroppedError } from '../errors';

/** The message of anything thrown, without risking a second throw (a `toString` may itself throw). */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return 'a value that cannot be printed';
  }
}

/**
 * `JSON.stringify` for outbound data, turning "cannot be sent" into a `MessageDroppedError` the engine
 * counts and reports, instead of a bare `TypeError` (BigInt, cycles) or a silent `undefined`
 * (functions, symbols, `undefined`) that would put the string "undefined" on the wire.
 */
export function stringifyOrDrop(data: unknown, channel: string | undefined): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (err) {
    throw new MessageDroppedError(
      'unserializable',
      `the data cannot be serialized to JSON (${describeThrown(err)}). Send plain JSON values: no BigInt, no cycles.`,
      channel,
    );
  }
  if (json === undefined) {
    throw new MessageDroppedError(
      'unserializable',
      `the data has no JSON form (it is ${kindOf(data)}). Send a plain JSON value.`,
      channel,
    );
  }
  return json;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return 'an object whose toJSON() returned undefined';
  return `a ${typeof value}`;
}
