/** The value schemas every section parses its variables with, so alike settings are checked and worded alike. */
import { z } from 'zod';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const guid = z.string().regex(GUID, 'must be a GUID such as 00000000-0000-0000-0000-000000000000');
export const text = z.string().min(1);

export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
  /** Plural unit such as `milliseconds`; none for a plain number such as a port. */
  readonly unit?: string;
  /** What a bound means, shown beside it in the range message, e.g. `{ 0: 'off' }`. */
  readonly meanings?: Readonly<Record<number, string>>;
  /** Said with every message, e.g. what 0 does. */
  readonly hint?: string;
}

/** A whole number from `min` to `max`: every numeric setting is one, so their messages read alike. */
export function wholeNumber({ min, max, unit, meanings = {}, hint }: WholeNumberRange) {
  const ofUnit = unit ? ` of ${unit}` : '';
  const aside = hint ? ` (${hint})` : '';
  const bound = (value: number): string => (meanings[value] ? `${value} (${meanings[value]})` : String(value));
  const maxMeaning = meanings[max] ? ` (${meanings[max]})` : '';
  const range = `must be between ${bound(min)} and ${max}${unit ? ` ${unit}` : ''}${maxMeaning}`;
  return z.coerce
    .number({ invalid_type_error: `must be a number${ofUnit}${aside}` })
    .int(`must be a whole number${ofUnit}${aside}`)
    .min(min, range)
    .max(max, range);
}

/** How long a network call may wait: Graph's attempts and PostgreSQL's connects and queries alike. */
export const timeoutMs = wholeNumber({ min: 100, max: 600_000, unit: 'milliseconds' });

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** One of `values`, the message listing them (`or` between two, else a comma list). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const listed = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return z.enum(values, { message: `must be ${listed}` });
}

/** A URL whose scheme matches `protocol` (`new URL` is the parser, so what passes here opens later). */
export function urlOf(protocol: RegExp, example: string) {
  return z.string().superRefine((value, context) => {
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    if (!parsed || !protocol.test(parsed.protocol)) context.addIssue({ code: z.ZodIssueCode.custom, message: `must be a URL such as ${example}` });
  });
}
