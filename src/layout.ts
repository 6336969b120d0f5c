/** Shell dimensions shared by the layout and by code that fits the map view to bounds. */
export const SIDE_PANEL_WIDTH = 340;
/** Matches `.app-header` min-height in styles/app.css. */
export const HEADER_HEIGHT = 48;
