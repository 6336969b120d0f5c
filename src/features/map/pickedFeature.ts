/** What deck.gl hands back for a picked feature, as plain data the store may hold. */

/** A picked feature's properties as plain values (what the store may hold). */
export function plainProperties(
  object: unknown,
): Record<string, string | number | boolean | null> | null {
  const properties = (object as { properties?: Record<string, unknown> } | null)?.properties;
  if (!properties) return null;
  const plain: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'layerName') continue;
    plain[key] =
      value === null || ['string', 'number', 'boolean'].includes(typeof value)
        ? (value as string | number | boolean | null)
        : typeof value === 'bigint'
          ? // A 64-bit cell id (a cluster's, a quadbin's): exact, as text.
            value.toString()
          : JSON.stringify(value, (_key, inner: unknown) =>
              typeof inner === 'bigint' ? inner.toString() : inner,
            );
  }
  return plain;
}

/** Where a picked point feature is (deck.gl hands tile features back in WGS84), if a point. */
export function pointPosition(object: unknown): [number, number] | undefined {
  const geometry = (object as { geometry?: { type?: unknown; coordinates?: unknown } } | null)
    ?.geometry;
  const [lng, lat] = Array.isArray(geometry?.coordinates)
    ? (geometry.coordinates as unknown[])
    : [];
  if (geometry?.type !== 'Point' || typeof lng !== 'number' || typeof lat !== 'number')
    return undefined;
  return Number.isFinite(lng) && Number.isFinite(lat) ? [lng, lat] : undefined;
}
