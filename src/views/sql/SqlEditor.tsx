/**
 * The SQL editor: CodeMirror 6 with SQL highlighting, completion of the user's tables and
 * columns, Ctrl/Cmd+Enter to run, and the last error marked at its line and column (a lint
 * diagnostic). Loaded on demand by SqlInput (its own chunk); built from the modular packages,
 * not the `codemirror` meta package's basicSetup, to ship only what is used.
 */
import { useEffect, useRef } from 'react';
import { Compartment, EditorSelection, EditorState, Prec } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { lintKeymap, setDiagnostics } from '@codemirror/lint';
import { EDITOR_LABEL, type CompletionSchema, type SqlEditorProps } from './editorTypes';
import { errorRange } from './sqlText';

const theme = EditorView.theme({
  '&': {
    fontSize: '13px',
    // The brand's colours (src/brand.ts), light or dark as the page.
    border: '1px solid var(--border)',
    borderRadius: '4px',
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
  },
  '.cm-content': { caretColor: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--primary)', outlineOffset: '-1px' },
  '.cm-scroller': {
    fontFamily: 'var(--mono)',
    minHeight: '7.5em',
    maxHeight: '16em',
    overflow: 'auto',
  },
  '.cm-activeLine': { backgroundColor: 'var(--info-surface)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--info-surface)' },
  '.cm-gutters': {
    backgroundColor: 'var(--background)',
    color: 'var(--text-muted)',
    border: 'none',
  },
});

/**
 * SQL's colours from the brand's CSS variables (src/brand.ts `code*`), so one style reads well
 * in light and dark alike (CodeMirror's default style is made for a white page).
 */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword], color: 'var(--code-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--code-number)' },
  { tag: tags.comment, color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--code-builtin)' },
]);

const language = (schema: CompletionSchema) =>
  sql({ dialect: PostgreSQL, schema: schema as Record<string, string[]>, upperCaseKeywords: true });

/** The error of the last run as a diagnostic at its line and column (none without an error). */
function errorTransaction(view: EditorView, error: SqlEditorProps['error']) {
  if (!error) return setDiagnostics(view.state, []);
  const lines: string[] = [];
  for (let i = 1; i <= view.state.doc.lines; i++) lines.push(view.state.doc.line(i).text);
  const { from, to } = errorRange(lines, error.position);
  const end = Math.min(to, view.state.doc.length);
  return setDiagnostics(view.state, [
    { from: Math.min(from, end), to: end, severity: 'error', message: error.message },
  ]);
}

export default function SqlEditor({
  value,
  onChange,
  onRun,
  error,
  completion,
  onReady,
  takeCaret,
}: SqlEditorProps & {
  /** Where the caret was in the fallback textarea if it had the focus (taken once). */
  takeCaret: () => number | null;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageConf = useRef(new Compartment());
  // The latest callbacks, read by the editor's listeners (created once).
  const latest = useRef({ onChange, onRun, onReady, takeCaret });
  useEffect(() => {
    latest.current = { onChange, onRun, onReady, takeCaret };
  });
  // The first render's props build the editor; later changes go through the effects below.
  const initial = useRef({ value, completion });

  useEffect(() => {
    const start = initial.current;
    const editor = new EditorView({
      parent: parent.current ?? undefined,
      state: EditorState.create({
        doc: start.value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          closeBrackets(),
          autocompletion(),
          syntaxHighlighting(highlight),
          languageConf.current.of(language(start.completion)),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': EDITOR_LABEL, spellcheck: 'false' }),
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  latest.current.onRun();
                  return true;
                },
              },
            ]),
          ),
          // No Tab binding: Tab keeps moving the focus out of the editor.
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
          theme,
        ],
      }),
    });
    view.current = editor;
    // The fallback textarea had the focus: carry on typing where its caret was.
    const caret = latest.current.takeCaret();
    if (caret !== null) {
      editor.dispatch({ selection: { anchor: Math.min(caret, editor.state.doc.length) } });
      editor.focus();
    }
    const ready = latest.current.onReady;
    ready({
      insert: (text) => {
        editor.dispatch(editor.state.replaceSelection(text), { scrollIntoView: true });
        editor.focus();
      },
      focus: () => editor.focus(),
    });
    return () => {
      ready(null);
      view.current = null;
      editor.destroy();
    };
  }, []);

  // A value set from outside (a query loaded from the history): replace the text.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({
      changes: { from: 0, to: editor.state.doc.length, insert: value },
      selection: EditorSelection.cursor(value.length),
    });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: languageConf.current.reconfigure(language(completion)) });
  }, [completion]);

  // Mark the error where the SQL API says it is (kept in place while the text is edited).
  const errorKey = error
    ? `${error.position.line}:${error.position.column ?? ''}:${error.message}`
    : '';
  const errorRef = useRef(error);
  useEffect(() => {
    errorRef.current = error;
  });
  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(errorTransaction(editor, errorKey ? errorRef.current : null));
  }, [errorKey]);

  return <div ref={parent} data-testid="sql-editor" />;
}
