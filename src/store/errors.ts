/** The database holds data this version cannot read, or is not one of ours: refuse to start. */
export class StoreIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreIntegrityError';
  }
}
