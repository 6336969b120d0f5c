/** Numbers as widgets show them, in the user's locale: compact for large values. */
const userLocale = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : (navigator.languages[0] ?? navigator.language);

export interface NumberFormat {
  /** e.g. { style: 'currency', currency: 'USD' } */
  options?: Intl.NumberFormatOptions;
  /** Millions as "1.2M" (the default for values of a million and more). */
  compact?: boolean;
}

export function formatNumber(value: number, { options, compact }: NumberFormat = {}): string {
  const useCompact = compact ?? Math.abs(value) >= 1e6;
  return new Intl.NumberFormat(userLocale(), {
    maximumFractionDigits: useCompact ? 1 : Math.abs(value) >= 100 ? 0 : 2,
    ...(useCompact ? { notation: 'compact' } : {}),
    ...options,
  }).format(value);
}
