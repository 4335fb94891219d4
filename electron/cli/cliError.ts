import type { AppError } from '../contract';

/** An error value the command line prints as is (message, fields, cause). */
export class CliError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
  }
}
