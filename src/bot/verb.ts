/**
 * What a card verb is: its name, the zod schema of the data its buttons carry, and whether it needs to know who
 * clicked. Cards build their buttons from it (the compiler checks each button's data against the schema); the
 * route parses the data with it and resolves the actor before the handler runs, so no handler does either.
 */
import type { z } from 'zod';
import type { Actor } from '../domain/actor';

/** `required`: nothing happens for a click without an Entra identity. `optional`: the handler gets the actor if any. */
export type Identity = 'required' | 'optional';

export interface Verb<
  Name extends string = string,
  Data extends z.ZodTypeAny = z.ZodTypeAny,
  Who extends Identity = Identity,
  CardInput extends string = string,
> {
  readonly name: Name;
  /** Parses what Teams sends on a click: the button's data and the card's inputs (Teams merges them). */
  readonly data: Data;
  readonly identity: Who;
  /** The card inputs the schema reads beside the button's data: a button does not carry them. */
  readonly cardInputs: readonly CardInput[];
  /** What was tried, in the audit entry of a click the route refuses (no identity, unreadable data). */
  readonly attempt: string;
  /** The answer and the audited problem when the data does not parse; the route's default says the card names no valid request. */
  readonly unreadable?: { readonly problem: string; readonly message: string };
}

/** Any verb, whatever its name and data. */
export type AnyVerb = Verb<string, z.ZodTypeAny, Identity, string>;

/** What a button for the verb carries: the schema's input without the card's own inputs. */
export type ButtonData<V extends AnyVerb> = Omit<z.input<V['data']>, V['cardInputs'][number]>;

/** What the handler gets: the parsed data, and the actor (always there when the verb requires one). */
export interface VerbInput<V extends AnyVerb> {
  readonly data: z.output<V['data']>;
  readonly actor: V['identity'] extends 'required' ? Actor : Actor | undefined;
}

export function defineVerb<Name extends string, Data extends z.ZodTypeAny, Who extends Identity, CardInput extends string = never>(definition: {
  readonly name: Name;
  readonly data: Data;
  readonly identity: Who;
  readonly attempt: string;
  readonly cardInputs?: readonly CardInput[];
  readonly unreadable?: { readonly problem: string; readonly message: string };
}): Verb<Name, Data, Who, CardInput> {
  return { ...definition, cardInputs: definition.cardInputs ?? [] };
}
