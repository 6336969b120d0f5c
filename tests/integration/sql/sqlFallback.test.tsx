import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SqlView } from '../../../src/views/sql/SqlView';
import { renderWithProviders } from '../../utils/renderWithProviders';
import { rangeRectsForCodeMirror } from './jsdomRange';

rangeRectsForCodeMirror();

// Its own file: React.lazy remembers a loaded chunk, so only the first render of a test file
// shows the fallback.
describe('SQL editor before its chunk has loaded', () => {
  it('is a plain textarea with the same name, and what is typed in it carries over', async () => {
    renderWithProviders(<SqlView />);
    const plain = screen.getByRole('textbox', { name: 'SQL query' });
    expect(plain.tagName).toBe('TEXTAREA');
    // Keys without pauses between them: the text is typed before the chunk can arrive, however
    // fast it loads (typing into the editor that replaces the textarea is another test's).
    const user = userEvent.setup({ delay: null });
    await user.clear(plain);
    await user.type(plain, 'SELECT 1');
    await waitFor(() => expect(document.querySelector('.cm-content')).not.toBeNull());
    const editor = screen.getByRole('textbox', { name: 'SQL query' });
    expect(editor.classList.contains('cm-content')).toBe(true);
    expect(editor.textContent).toBe('SELECT 1');
    // The focus moved from the textarea to the editor: typing goes on there.
    expect(document.activeElement).toBe(editor);
    expect(localStorage.getItem('carto-login-starter:sql:text')).toBe('SELECT 1');
  });
});
