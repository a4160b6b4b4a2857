/** One page of an ordered list, and where it sits in the whole. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
}
