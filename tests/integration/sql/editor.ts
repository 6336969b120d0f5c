import { act, waitFor } from '@testing-library/react';
import { EditorView } from '@codemirror/view';

/** The CodeMirror editor, once its chunk has loaded in place of the plain textarea. */
export async function editorView(): Promise<EditorView> {
  const dom = await waitFor(() => {
    const found = document.querySelector<HTMLElement>('.cm-editor');
    if (!found) throw new Error('The editor has not loaded yet');
    return found;
  });
  const view = EditorView.findFromDOM(dom);
  if (!view) throw new Error('No EditorView');
  return view;
}

/** Replaces the editor's text, as typing would; the editor, for what the test reads next. */
export async function write(sql: string): Promise<EditorView> {
  const view = await editorView();
  act(() => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: sql } });
  });
  return view;
}
