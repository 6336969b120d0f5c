import type { ErrorPosition } from './sqlText';

/** What the SQL view asks of its editor, whichever is shown (CodeMirror or the plain fallback). */
export interface EditorHandle {
  /** Replaces the selection (or inserts at the cursor) with `text`, and focuses the editor. */
  insert(text: string): void;
  focus(): void;
}

/** Tables and their columns, for completion: `{ 'demo.places': ['name', 'geom'] }`. */
export type CompletionSchema = Record<string, readonly string[]>;

export interface SqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun: () => void;
  /** The last run's error, to mark at its position. */
  error: { position: ErrorPosition; message: string } | null;
  completion: CompletionSchema;
  /** Called with the editor's handle once it is shown, and with null when it goes. */
  onReady: (handle: EditorHandle | null) => void;
}

/** The editor's accessible name (the e2e tests and screen readers find it by it). */
export const EDITOR_LABEL = 'SQL query';
