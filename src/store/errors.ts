import type { z } from 'zod';

/** Turns zod issues into `field.path: message` lines a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(value)'}: ${i.message}`).join('; ');
}

/** Something the caller tried to write does not fit the domain schema; nothing was written. */
export class StoreValidationError extends Error {
  constructor(
    readonly table: string,
    readonly id: string | undefined,
    readonly details: string,
  ) {
    super(`Refused to write ${table}${id ? ` ${id}` : ''}: ${details}`);
    this.name = 'StoreValidationError';
  }
}

/** A stored row could not be read back as a valid domain object (hand-edited or damaged database). */
export class StoreDataError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
    readonly details: string,
  ) {
    super(`Stored ${table} row ${id} is invalid: ${details}`);
    this.name = 'StoreDataError';
  }
}

/** The caller referenced a row that does not exist (update of an unknown id, task of an unknown epic…). */
export class StoreNotFoundError extends Error {
  constructor(
    readonly table: string,
    readonly id: string,
  ) {
    super(`No ${table} row with id ${id}.`);
    this.name = 'StoreNotFoundError';
  }
}

export class StoreClosedError extends Error {
  constructor(file: string) {
    super(`The nocodo store for ${file} is closed.`);
    this.name = 'StoreClosedError';
  }
}

/** Another process holds the save lock for longer than we are willing to wait. */
export class StoreLockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockError';
  }
}
