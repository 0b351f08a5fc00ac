import { h } from '../dom';
import type { ListOrder } from '../store';
import { normalizeTag } from '../tag-filter';

/**
 * The tag filter (a field, Enter applies it, and while filtered what is shown and a way back)
 * and the list's order.
 */
export function createFilterBar({
  onFilter,
  onOrder,
}: {
  onFilter: (tag: string | null) => void;
  onOrder: (order: ListOrder) => void;
}) {
  const input = h('input', {
    id: 'tag-filter',
    type: 'search',
    name: 'tag',
    'data-testid': 'tag-filter',
    placeholder: 'e.g. cat',
    autocomplete: 'off',
    enterkeyhint: 'search',
  });
  const form = h(
    'form',
    { class: 'filter-form', role: 'search', 'aria-label': 'Tag filter' },
    h('label', { for: 'tag-filter' }, 'Filter by tag'),
    input,
    h('button', { type: 'submit', 'data-testid': 'tag-filter-submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onFilter(normalizeTag(input.value));
  });

  const label = h('span', { 'data-testid': 'filter-status' });
  const clear = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'filter-clear' },
    'Clear',
  );
  clear.addEventListener('click', () => onFilter(null));
  const status = h('p', { class: 'filter-status', 'aria-live': 'polite' }, label, ' ', clear);

  const order = h(
    'select',
    { id: 'list-order', name: 'order', 'data-testid': 'list-order' },
    h('option', { value: 'uploaded' }, 'Newest uploads'),
    h('option', { value: 'taken' }, 'Newest photos (date taken)'),
  );
  order.addEventListener('change', () => onOrder(order.value === 'taken' ? 'taken' : 'uploaded'));
  const orderField = h(
    'div',
    { class: 'order-field' },
    h('label', { for: 'list-order' }, 'Order'),
    order,
  );

  let shown: string | null | undefined;
  function render(tag: string | null, listOrder: ListOrder = 'uploaded'): void {
    order.value = listOrder;
    // Only a change of filter rewrites the field, so typing is never interrupted.
    if (tag !== shown) input.value = tag ?? '';
    shown = tag;
    status.hidden = tag === null;
    label.textContent = tag === null ? '' : `Showing images tagged ${tag}`;
  }

  return { element: h('div', { class: 'filter-bar' }, form, orderField, status), render };
}
