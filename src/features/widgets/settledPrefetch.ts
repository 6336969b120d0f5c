/**
 * Widgets ask for a view the map settled on as soon as the store has it. `MapView` writes the
 * view on maplibre's `moveend`; without this, each widget's request would start only after
 * React re-rendered the widgets (their charts) and the map's layers, which on a slow device
 * takes longer than the request itself. A store subscriber (it runs within the dispatch, before
 * React renders) asks again, with the new viewport, for what every widget on screen shows; when
 * a widget renders, it finds its request running or answered (RTK Query runs one request per
 * argument). A histogram's bins depend on the range in view: its counts wait for that range.
 */
import type { AppStore } from '../../store/store';
import { cartoApi } from '../../api/cartoApi';
import type { WidgetArgs } from '../../api/widgetArgs';
import { selectViewportBounds } from '../map/viewport';

interface Tracked {
  /** What each widget on screen asked for last, by widget instance. */
  widgets: Map<object, WidgetArgs>;
  /** The viewport the widgets were last asked for, as JSON. */
  bounds: string;
  unsubscribe: () => void;
}

const byStore = new WeakMap<AppStore, Tracked>();

function askForNewView(store: AppStore, tracked: Tracked) {
  const bounds = selectViewportBounds(store.getState());
  const text = JSON.stringify(bounds);
  if (text === tracked.bounds) return;
  const before = tracked.bounds;
  tracked.bounds = text;
  if (bounds === null) return;
  const asked = new Set<string>();
  for (const args of tracked.widgets.values()) {
    if (args.model === 'histogram' || JSON.stringify(args.viewport) !== before) continue;
    const next = { ...args, viewport: bounds } as WidgetArgs;
    const key = JSON.stringify(next);
    if (asked.has(key)) continue;
    asked.add(key);
    void store.dispatch(cartoApi.endpoints.widget.initiate(next, { subscribe: false }));
  }
}

/** Counts a widget as on screen with `args` until the returned function is called. */
export function trackWidget(store: AppStore, widget: object, args: WidgetArgs): () => void {
  let tracked = byStore.get(store);
  if (!tracked) {
    const created: Tracked = {
      widgets: new Map(),
      bounds: JSON.stringify(selectViewportBounds(store.getState())),
      unsubscribe: () => undefined,
    };
    created.unsubscribe = store.subscribe(() => askForNewView(store, created));
    byStore.set(store, created);
    tracked = created;
  }
  tracked.widgets.set(widget, args);
  const current = tracked;
  return () => {
    current.widgets.delete(widget);
    if (current.widgets.size > 0) return;
    current.unsubscribe();
    byStore.delete(store);
  };
}
