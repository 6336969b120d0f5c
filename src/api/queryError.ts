import type { SerializedError } from '@reduxjs/toolkit';
import type { CartoQueryError } from './cartoApi';

/** What to tell the user about a failed request, whatever kind of error RTK Query holds. */
export function errorMessage(error: CartoQueryError | SerializedError | undefined): string {
  if (!error) return 'Unknown error';
  return error.message ?? 'Unknown error';
}
