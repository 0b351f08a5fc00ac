import { h } from '../dom';

/** How long typing pauses before the search runs. */
export const SEARCH_DELAY_MS = 250;

/**
 * The search field: results as you type, once typing pauses; Enter searches at once, Escape
 * clears. Words match names, tags, albums, cameras and dates, each as a word's start.
 */
export function createSearchBox({ onSearch }: { onSearch: (q: string) => void }) {
  const input = h('input', {
    id: 'search',
    type: 'search',
    name: 'q',
    'data-testid': 'search',
    placeholder: 'Names, tags, albums, cameras, dates',
    autocomplete: 'off',
    enterkeyhint: 'search',
    maxlength: 200,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let searched = '';
  const run = () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q === searched) return;
    searched = q;
    onSearch(q);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, SEARCH_DELAY_MS);
  });
  const form = h(
    'form',
    { class: 'search-form', role: 'search', 'aria-label': 'Search the gallery' },
    h('label', { for: 'search', class: 'visually-hidden' }, 'Search'),
    input,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });

  return {
    element: form,
    /** Shows the search of the address (on load, back and forward) unless it is being typed. */
    render(q: string): void {
      searched = q;
      if (document.activeElement !== input) input.value = q;
    },
    destroy: () => clearTimeout(timer),
  };
}
