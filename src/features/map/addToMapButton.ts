/**
 * What an "Add to the map" button shows and is called, by state. The name holds the visible
 * text (WCAG 2.5.3: speech input users say what they see), never in brackets: axe, like a
 * person, skips text in parentheses when it compares the two.
 */
export function addToMapButton(
  name: string,
  { onMap, pending }: { onMap: boolean; pending: boolean },
): { text: string; label: string } {
  if (onMap) return { text: 'On map', label: `On map: ${name}` };
  if (pending) return { text: 'Adding…', label: `Adding ${name} to the map` };
  return { text: 'Add', label: `Add ${name} to the map` };
}
