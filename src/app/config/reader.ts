/**
 * Reading the environment: every variable is checked and every problem is collected, so a misconfigured
 * deployment fails with ONE message that lists everything to fix instead of one error per restart.
 */
import type { z } from 'zod';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Thrown by the config loaders; `problems` has one line per thing to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((problem) => `  - ${problem}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Reads variables one by one, remembering every problem instead of stopping at the first. */
export class EnvironmentReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Environment) {}

  /** Empty or whitespace-only values count as unset: `FOO=` in a .env file means "not configured". */
  isSet(name: string): boolean {
    return (this.env[name] ?? '').trim().length > 0;
  }

  optional<S extends z.ZodTypeAny>(name: string, schema: S): z.output<S> | undefined {
    if (!this.isSet(name)) return undefined;
    // zod types a generic schema's result as any: it is this schema's output.
    const result = schema.safeParse((this.env[name] ?? '').trim()) as z.SafeParseReturnType<z.input<S>, z.output<S>>;
    if (result.success) return result.data;
    this.problems.push(`${name}: ${uniqueMessages(result.error).join('; ')} (got ${describeValue(name, this.env[name])})`);
    return undefined;
  }

  /** A value the configuration cannot do without; `why` says when and why it is needed. */
  required<S extends z.ZodTypeAny>(name: string, schema: S, why: string): z.output<S> | undefined {
    if (!this.isSet(name)) {
      this.problems.push(`${name} is required ${why}`);
      return undefined;
    }
    return this.optional(name, schema);
  }

  /** A value that must not be set in this situation (e.g. a password with a managed identity). */
  forbidden(name: string, why: string): void {
    if (this.isSet(name)) this.problems.push(`${name} must not be set ${why}`);
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}

function uniqueMessages(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

/** Secrets are never echoed back, even in an error message. */
function describeValue(name: string, value: string | undefined): string {
  if (/PASSWORD|SECRET|TOKEN|DATABASE_URL/.test(name)) return 'a value that is not shown';
  return JSON.stringify(value);
}
